(* mirage >= 4.5.0 & < 4.12.0 *)

(* The 2048 game, served by a unikernel. The files under htdocs/ are built into
   the kernel image, so it needs no disk: only a network stack. *)

open Mirage

(* The listening port is a boot-time argument (--port, default 8080),
   declared and documented in unikernel.ml. *)
let port = runtime_arg ~pos:__POS__ "Unikernel.port"

let main =
  main "Unikernel.Main"
    ~packages:[ package "cohttp-mirage"; package "uri" ]
    ~runtime_args:[ port ]
    (kv_ro @-> http @-> job)

let htdocs = crunch "htdocs"
let stack = generic_stackv4v6 default_network
let server = cohttp_server (conduit_direct ~tls:false stack)

let () = register "www" [ main $ htdocs $ server ]
