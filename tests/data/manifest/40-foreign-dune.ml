open Mirage

(* mirage 4.0: dune builds it, opam-monorepo vendors the sources into
   duniverse/. Tools needed on the build host are in the switch scope. *)

let port =
  let doc = Key.Arg.info ~doc:"Port to listen on." ["port"] in
  Key.(create "port" Arg.(opt ~stage:`Run int 8080 doc))

let main =
  foreign "Unikernel.Main"
    ~keys:[ Key.v port ]
    ~packages:[
      package ~min:"5.0.0" ~max:"6.0.0" "cohttp-mirage";
      package ~scope:`Switch ~build:true "crunch";
      package "uri";
    ]
    (pclock @-> kv_ro @-> http @-> job)

let stack = generic_stackv4v6 default_network
let conduit = conduit_direct ~tls:false stack
let http = cohttp_server conduit
let htdocs = crunch "htdocs"

let () =
  register "www" [ main $ default_posix_clock $ htdocs $ http ]
