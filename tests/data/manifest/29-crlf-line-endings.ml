open Mirage

(* Saved on Windows: every line ends in CR LF. *)
let port =
  let doc = Key.Arg.info ~doc:"Port to listen on." ["port"] in
  Key.(create "port" Arg.(opt int 8080 doc))

let main =
  foreign "Dispatch.Main"
    ~keys:[Key.abstract port]
    ~packages:["re"]
    (console @-> kv_ro @-> http @-> job)

let () =
  register "www" [
    main $ default_console $ crunch "htdocs"
    $ http_server (conduit_direct (generic_stackv4 default_console tap0))
  ]
