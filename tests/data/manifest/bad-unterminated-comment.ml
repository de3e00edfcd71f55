open Mirage

let main = foreign "Unikernel.Main" ~packages:[ package "fmt" ] (console @-> job)

let () = register "unclosed" [ main $ default_console ]

(* TODO: a second job for the logger
let logger = foreign "Logger.Main" (console @-> job)
let () = register "logger" [ logger $ default_console ]
