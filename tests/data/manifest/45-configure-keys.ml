(* mirage >= 4.5.0 & < 4.9.0 *)
open Mirage

(* In 4.5+ keys only choose things at configure time; what the unikernel
   reads at boot is a runtime argument. *)
let tls_key =
  let doc = Key.Arg.info ~doc:"Serve HTTPS instead of HTTP." [ "tls" ] in
  Key.(create "tls" Arg.(flag doc))

let main =
  main ~runtime_args:[ runtime_arg ~pos:__POS__ "Unikernel.Conf.port" ]
    "Unikernel.Main" (kv_ro @-> http @-> job)

let stack = generic_stackv4v6 default_network

let server =
  if_impl (Key.value tls_key)
    (cohttp_server (conduit_direct ~tls:true stack))
    (cohttp_server (conduit_direct ~tls:false stack))

let () =
  register "site" ~keys:[ Key.v tls_key ] [ main $ crunch "site" $ server ]
