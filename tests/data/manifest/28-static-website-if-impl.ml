open Mirage

(* On Xen the files are crunched into the image; on Unix they are read
   from the directory at run time. *)
let data =
  if_impl Key.is_xen
    (crunch "htdocs")
    (direct_kv_ro "htdocs")

let stack = generic_stackv4 default_console tap0

let https_port =
  let doc = Key.Arg.info ~doc:"Listening HTTPS port." ~docv:"PORT" ["https"] in
  Key.(create "https_port" Arg.(opt ~stage:`Run int 4433 doc))

let secret =
  let doc = Key.Arg.info ~doc:"Admin password, read at configure time." ["password"] in
  Key.(create "admin_password" Arg.(opt ~stage:`Configure string "changeme" doc))

let main =
  let keys = [ Key.abstract https_port; Key.abstract secret ] in
  foreign ~keys "Dispatch.Main" (console @-> kv_ro @-> http @-> job)

let () =
  register "static_website" [
    main $ default_console $ data $ http_server (conduit_direct ~tls:true stack)
  ]
