(* mirage >= 4.10.0 & < 4.12.0 *)
open Mirage

(* mirage configure -t unikraft-qemu; IP settings are boot arguments:
   qemu ... -append '--ipv4=10.0.0.2/24' *)
let main =
  main "Unikernel.Main"
    ~packages:[ package "mirage-crypto-rng-mirage" ~min:"1.0.0" ]
    (stackv4v6 @-> job)

let stack =
  if_impl Key.is_solo5 (generic_stackv4v6 default_network)
    (generic_stackv4v6 default_network)

let () = register "ukraft" [ main $ stack ]
