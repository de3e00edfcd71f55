open Mirage

let stack = generic_stackv4 default_network

(* A block device on Xen, a file on Unix. *)
let disk =
  if_impl Key.is_xen
    (block_of_file "xvda")
    (block_of_file "disk.img")

let store =
  match_impl Key.(value target) [
    `Xen, generic_kv_ro "data";
    `Unix, direct_kv_ro "data";
  ] ~default:(crunch "data")

let clock =
  if_impl Key.is_unix default_posix_clock
    (if_impl Key.is_solo5 default_posix_clock default_posix_clock)

let main =
  foreign "Unikernel.Main"
    ~packages:[package "mirage-kv-lwt"]
    (pclock @-> kv_ro @-> block @-> stackv4 @-> job)

let () =
  register "store" [ main $ clock $ store $ disk $ stack ]
