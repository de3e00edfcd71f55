open Mirage

(* Half-written: the job is declared but never registered. *)
let main =
  foreign "Unikernel.Main"
    ~packages:[ package "duration" ]
    (console @-> time @-> job)

let _ = main $ default_console $ default_time
