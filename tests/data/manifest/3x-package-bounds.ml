open Mirage

(* Bounds, sub-libraries, pins, build-only and a library that is not the
   package's name: the forms `package` takes in 3.x. *)
let packages = [
  package ~min:"3.0.0" ~max:"4.0.0" "tcpip";
  package ~sublibs:["mirage"; "lwt"] "dns";
  package "cohttp-mirage" ~min:"2.0.0";
  package ~build:true "ocamlbuild";
  package ~pin:"git+https://github.com/mirage/ocaml-git.git#v2.1" "git";
  package ~ocamlfind:["nocrypto.mirage"] "nocrypto";
]

let main = foreign ~packages ~deps:[abstract nocrypto] "Unikernel.Main" (stackv4 @-> job)

let () =
  register "bounds" [ main $ generic_stackv4 default_network ]
