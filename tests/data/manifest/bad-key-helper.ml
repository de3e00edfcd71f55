open Mirage

(* Keys built through a helper: the form cannot tell which key the call
   makes, nor rewrite a default that a function computes. *)
let int_key name default doc =
  Key.create name Key.Arg.(opt int default (info ~doc [name]))

let workers = int_key "workers" 4 "Worker count."

let production = false
let default_port () = if production then 80 else 8080

let port =
  Key.create "port" Key.Arg.(opt int (default_port ()) (info ~doc:"Port to listen on." ["port"]))

let main =
  foreign "Unikernel.Main"
    ~keys:[ Key.abstract workers; Key.abstract port ]
    ~packages:[ package "cohttp-mirage" ]
    (http @-> job)

let () =
  register "helper" [ main $ http_server (conduit_direct (generic_stackv4 default_network)) ]
