open Mirage

let data = crunch "htdocs"

let server =
  http_server 80 (default_ip [tap0])

let main =
  foreign "Dispatch.Main"
    (console
     @-> kv_ro   @-> http
     @-> job)

let () =
  add_to_ocamlfind_libraries ["re.str"; "cow"];
  add_to_opam_packages ["re"; "cow"];
  register "www" [ main $ default_console $ data $ server ]
