open Mirage

let port =
  let doc = Key.Arg.info ~doc:"Port to listen on." ["port"] in
  Key.(create "port" Arg.(opt int 8080 doc))

let main = foreign ~keys:[Key.abstract port] "Unikernel.Main" (console @-> job)

let () = register "unfinished" [ main $ default_console ]

let motd = "Welcome to the unikernel,
let () = register "never" [ main $ default_console ]
