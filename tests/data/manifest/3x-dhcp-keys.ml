open Mirage

(* An abstract key created in place and a key left unattached. *)
let hostname =
  Key.abstract
    Key.(create "hostname" Arg.(opt string "cubieboard2" (Arg.info ~doc:"Host name." ["hostname"])))

let lease =
  Key.(create "lease" Arg.(opt int 3600 (Arg.info ~doc:"Lease time, in seconds." ["lease"])))

let main =
  foreign "Unikernel.Main"
    ~keys:[ hostname ]
    ~packages:[ package ~min:"0.10" "charrua-core"; package ~sublibs:["mirage"] "arp" ]
    (network @-> ethernet @-> arpv4 @-> job)

let net = default_network
let ethif = etif net
let arp = arp ethif

let () = register "dhcp" [ main $ net $ ethif $ arp ]
