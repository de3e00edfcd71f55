open Mirage

let main = foreign "Unikernel.Main" ~packages:[ package "fmt" ] (console @-> job)

let () = register "first" [ main $ default_console ]

(* Copied from another project and forgotten: mirage would fail. *)
let () = register "second" [ main $ default_console ]
