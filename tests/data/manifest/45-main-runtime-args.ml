(* mirage >= 4.5.1 & < 4.6.0 *)
open Mirage

(* The port and the host name are boot-time arguments of the unikernel,
   documented where they are defined, in unikernel.ml. *)
let port = runtime_arg ~pos:__POS__ "Unikernel.port"
let hostname = Runtime_arg.create ~pos:__POS__ "Unikernel.hostname"

let packages = [
  package ~min:"6.0.0" ~max:"7.0.0" "cohttp-mirage";
  package ~sublibs:[ "mirage" ] "tls";
]

let main =
  main "Unikernel.Make" ~packages
    ~runtime_args:[ port; hostname ]
    (http @-> job)

let stack = generic_stackv4v6 default_network

let () =
  register "server" [ main $ cohttp_server (conduit_direct ~tls:false stack) ]
