open Mirage

(* Quoted strings may hold anything, including what looks like config:
   none of the decoys below is read. *)
let banner = {|register "decoy" [ foreign "Decoy.Main" (console @-> job) ]|}
let template = {html|<p>Key.create "fake" (* not a comment *) "|}</p>|html}
let quote_char = '"'
let paren_char = '('
let escaped_char = '\''
let id (x : 'a) : 'a = x
let pair : ('a * 'b) list = []

let motd =
  let doc = Key.Arg.info ~doc:"Message of the day, {|quoted|} and \"escaped\"." ["motd"] in
  Key.(create "motd" Arg.(opt string "it's a \"test\" (* still a string *)" doc))

let main =
  foreign "Unikernel.Main" ~keys:[Key.abstract motd]
    ~packages:[ package "fmt" ]
    (console @-> job)

let () = register "quoted" [ main $ default_console ]
