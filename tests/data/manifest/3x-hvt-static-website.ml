open Mirage

(* mirage configure -t hvt --ipv4 10.0.0.2/24 && make depend && make *)

let stack = generic_stackv4 default_network
let data = generic_kv_ro ~key:Key.(value @@ kv_ro ()) "htdocs"

(* set ~tls to true for an HTTPS server *)
let http_srv = http_server @@ conduit_direct ~tls:false stack

let http_port =
  let doc = Key.Arg.info ~doc:"Listening HTTP port." ["http"] in
  Key.(create "http_port" Arg.(opt int 8080 doc))

let main =
  let packages = [ package "uri"; package "magic-mime" ] in
  let keys = [ Key.abstract http_port ] in
  foreign ~packages ~keys "Dispatch.HTTP" (pclock @-> kv_ro @-> http @-> job)

let () =
  register "http" [main $ default_posix_clock $ data $ http_srv]
