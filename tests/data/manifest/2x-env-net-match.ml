open Mirage

let net =
  match get_mode () with
  | `Xen -> `Direct
  | `Unix | `MacOSX ->
    try match Sys.getenv "NET" with
      | "direct" -> `Direct
      | "socket" -> `Socket
      | _        -> `Direct
    with Not_found -> `Socket

let ipv4_conf =
  let i = Ipaddr.V4.of_string_exn in
  {
    address  = i "10.0.0.2";
    netmask  = i "255.255.255.0";
    gateways = [i "10.0.0.1"];
  }

let stack console =
  match net with
  | `Direct -> direct_stackv4_with_static_ipv4 console tap0 ipv4_conf
  | `Socket -> socket_stackv4 console [Ipaddr.V4.any]

let main = foreign "Unikernel.Main" (console @-> stackv4 @-> job)

let () =
  add_to_opam_packages ["tcpip"];
  register "ping" [ main $ default_console $ stack default_console ]
