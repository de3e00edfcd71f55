open Mirage

let hello =
  let doc = Key.Arg.info
      ~doc:"How to say hello." ["hello"] in
  Key.(create "hello" Arg.(opt string "Hello World!" doc))

let main =
  foreign
    ~keys:[Key.abstract hello]
    "Unikernel.Main" (console @-> time @-> job)

let () =
  register "hello" [main $ default_console $ default_time]
