(* mirage >= 4.5.0 & < 4.12.0 *)
(* A comment may hold a string with a closing bracket: "*)" — still a comment.
   (* Nested: register "nested" [ main ] (* deeper "*)" *) still nested *)
   register "in-comment" [ main ]
   Key.create "commented" Key.Arg.(opt int 1 (info ["commented"]))
   package "commented-out" *)
open Mirage

(* A quoted string inside a comment hides a closer: {|*)|} *)
(* {id| also hides (* and *) until |id} *)
(* a char literal in a comment: '"' and not a string start *)

type 'a tagged = { tag : string; value : 'a }

let quote = '"'
let star = '*'
let lparen = '('
let escaped = '\\'
let decimal = '\065'
let hex = '\x41'
let tagged : 'a -> 'a tagged = fun value -> { tag = "v\"al(*ue"; value }

let note = {|Not a register call: register "quoted" [ main ]|}
let fancy = {id|package "quoted-pkg" and |} and "|id}

let port = runtime_arg ~pos:__POS__ "Unikernel.port" (* runtime_arg ~pos:__POS__ "Unikernel.fake" *)

let main =
  main "Unikernel.Main"
    ~packages:[ package "mirage-kv" (* package "nope" *); package {|tricky-name|} ]
    ~runtime_args:[ port ]
    (kv_ro @-> job)

let () = register "traps" [ main $ crunch "data" ]
