open Mirage

(* 2.7-2.9: packages and libraries are plain string lists, on foreign and on
   register. *)
let main =
  foreign "Unikernel.Main"
    ~libraries:["mirage-logs"]
    ~packages:["mirage-logs"; "ptime"]
    (console @-> clock @-> job)

let () =
  register "logger"
    ~libraries:["cstruct.ppx"]
    ~packages:["ppx_cstruct"]
    [ main $ default_console $ default_clock ]
