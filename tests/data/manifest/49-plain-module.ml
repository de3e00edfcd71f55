(* mirage >= 4.9.0 & < 4.10.0 *)
open Mirage

let main = main "Unikernel" job ~packages:[ package "fmt"; package "logs" ]

let () = register "plain" [ main ]
