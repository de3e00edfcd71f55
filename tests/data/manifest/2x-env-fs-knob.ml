open Mirage

(* FS=crunch (default), FS=fat or FS=archive; MODE is read without a default
   and must be set, as the skeleton's Makefile did. *)
let fs = try Sys.getenv "FS" with Not_found -> "crunch"
let mode = Sys.getenv "MODE"

let disk =
  match fs with
  | "fat" -> kv_ro_of_fs (fat_of_files ~dir:"t" ())
  | "archive" -> archive_of_files ~dir:"t" ()
  | _ -> crunch "t"

let main = foreign "Unikernel.Main" (console @-> kv_ro @-> job)

let () =
  register "kv_ro" [ main $ default_console $ disk ]
