open Mirage

(* GlueCon 2016: the 2048 game served by a unikernel, on Unix and on a
   Cubieboard2 running Xen.
     mirage configure --unix --net socket
     mirage configure --xen --dhcp=true --network=0 --no-opam *)

let port =
  let doc = Key.Arg.info ~doc:"The TCP port the web server listens on." ["port"] in
  Key.(create "port" Arg.(opt int 8080 doc))

let main =
  foreign "Dispatch.Main"
    ~keys:[Key.abstract port]
    ~libraries:["re.str"; "str"]
    ~packages:["re"]
    (console @-> kv_ro @-> http @-> job)

let stack = generic_stackv4 default_console tap0

let fs = generic_kv_ro "htdocs"

let http = http_server (conduit_direct stack)

let () =
  register "www" [
    main $ default_console $ fs $ http
  ]
