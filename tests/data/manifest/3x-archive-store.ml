open Mirage

let files = archive_of_files ~dir:"files" ()

let main =
  foreign "Unikernel.Main" (console @-> kv_ro @-> job)
    ~packages:[ package "ocaml-tar" ~max:"2.0.0" ]

let () = register "archive" [ main $ default_console $ files ]
