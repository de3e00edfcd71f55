open Mirage

(* The smallest unikernel of the 2.x days: print to the console and exit. *)
let main = foreign "Unikernel.Main" (console @-> job)

let () =
  add_to_ocamlfind_libraries ["str"];
  register "console" [ main $ default_console ]
