open Mirage

(* Every kind of key and every converter the form knows. *)

let port =
  Key.create "port"
    Key.Arg.(opt ~stage:`Both int 8080
               (info ~doc:"Port to listen on." ~docv:"PORT" ~env:"WWW_PORT" ["port"; "p"]))

let offset =
  Key.create "offset" Key.Arg.(opt int (-1) (info ~doc:"Clock offset." ["offset"]))

let verbose =
  Key.create "verbose" Key.Arg.(flag (info ~doc:"Talk a lot." ["verbose"; "v"]))

let name =
  Key.create "name" Key.Arg.(opt string "cubie \"board\"" (info ~doc:"Board name." ["name"]))

let tls =
  Key.create "tls" Key.Arg.(opt ~stage:`Configure bool false (info ~doc:"Serve HTTPS." ["tls"]))

let workers =
  Key.create "workers" Key.Arg.(opt (some int) None (info ~doc:"Worker count." ["workers"]))

let retries =
  Key.create "retries" Key.Arg.(opt (some int) (Some 3) (info ["retries"]))

let hosts =
  Key.create "hosts"
    Key.Arg.(opt (list string) ["a.example"; "b.example"] (info ~doc:"Virtual hosts." ["hosts"]))

let ip =
  Key.create "ip"
    Key.Arg.(opt ipv4_address (Ipaddr.V4.of_string_exn "10.0.0.2") (info ~doc:"Address." ["ip"]))

let network =
  Key.create "network" Key.Arg.(required ~stage:`Run ipv4 (info ~doc:"Network prefix." ~docv:"CIDR" ["network"]))

let token =
  Key.create "token" Key.Arg.(required string (info ~env:"TOKEN" ["token"]))

let peers =
  Key.create "peers" Key.Arg.(opt_all string ["peer0"] (info ~doc:"Peers, repeatable." ["peer"]))

(* Declared but never attached to the job: mirage ignores it. *)
let unused =
  Key.create "unused" Key.Arg.(opt int 0 (info ["unused"]))

let main =
  foreign "Unikernel.Main"
    ~keys:[ Key.abstract port; Key.abstract offset; Key.abstract verbose;
            Key.abstract name; Key.abstract tls; Key.abstract workers;
            Key.abstract retries; Key.abstract hosts; Key.abstract ip;
            Key.abstract network; Key.abstract token; Key.abstract peers ]
    (console @-> job)

let () = register "keys" [ main $ default_console ]
