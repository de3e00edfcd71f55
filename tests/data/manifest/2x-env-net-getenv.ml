open Mirage

(* Mirage 2.x: the network mode comes from the environment of `mirage configure`:
     NET=direct DHCP=true mirage configure --xen *)
let net =
  try Sys.getenv "NET" with Not_found -> "socket"

let dhcp = (try Sys.getenv "DHCP" with Not_found -> "false") = "true"

let stack console =
  match net, dhcp with
  | "direct", true -> direct_stackv4_with_dhcp console tap0
  | "direct", false -> direct_stackv4_with_default_ipv4 console tap0
  | _ -> socket_stackv4 console [Ipaddr.V4.any]

let handler = foreign "Services.Main" (console @-> stackv4 @-> job)

let () =
  add_to_ocamlfind_libraries ["mirage-http"; "tcpip.stack-socket"];
  add_to_opam_packages ["mirage-http"; "tcpip"];
  register "services" [
    handler $ default_console $ stack default_console
  ]
