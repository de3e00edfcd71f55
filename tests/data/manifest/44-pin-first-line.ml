(* mirage >= 4.4.1 & < 4.5.0 *)
open Mirage

let hello =
  let doc = Key.Arg.info ~doc:"How to say hello." [ "hello" ] in
  Key.(create "hello" Arg.(opt string "Hello World!" doc))

let main =
  foreign
    ~keys:[ Key.v hello ]
    ~packages:[ package "duration" ]
    "Unikernel.Hello" (time @-> job)

let () = register "hello" [ main $ default_time ]
