(* A small static web server: every request is answered from the key-value store
   that config.ml fills with the files under htdocs/. *)

open Lwt.Infix

let port =
  let doc =
    Cmdliner.Arg.info ~doc:"The TCP port the web server listens on." ~docv:"PORT"
      [ "port" ]
  in
  Cmdliner.Arg.(value & opt int 8080 doc)

let log_src = Logs.Src.create "www" ~doc:"2048 web server"

module Log = (val Logs.src_log log_src : Logs.LOG)

let content_type path =
  match String.rindex_opt path '.' with
  | None -> "application/octet-stream"
  | Some i -> (
      match String.sub path (i + 1) (String.length path - i - 1) with
      | "html" | "htm" -> "text/html; charset=utf-8"
      | "css" -> "text/css; charset=utf-8"
      | "js" -> "text/javascript; charset=utf-8"
      | "json" -> "application/json"
      | "svg" -> "image/svg+xml"
      | "png" -> "image/png"
      | "ico" -> "image/x-icon"
      | "txt" -> "text/plain; charset=utf-8"
      | _ -> "application/octet-stream")

module Main (Store : Mirage_kv.RO) (Http : Cohttp_mirage.Server.S) = struct
  let file_of_uri uri =
    match Uri.path uri with
    | "" | "/" -> "index.html"
    | path -> path

  let respond_file store path =
    Store.get store (Mirage_kv.Key.v path) >>= function
    | Ok body ->
        let headers = Cohttp.Header.init_with "content-type" (content_type path) in
        Http.respond_string ~status:`OK ~headers ~body ()
    | Error e ->
        Log.debug (fun m -> m "%s: %a" path Store.pp_error e);
        Http.respond_not_found ()

  let callback store _conn request _body =
    let path = file_of_uri (Cohttp.Request.uri request) in
    match Cohttp.Request.meth request with
    | `GET | `HEAD ->
        Log.info (fun m -> m "GET %s" path);
        respond_file store path
    | _ ->
        Http.respond_string ~status:`Method_not_allowed ~body:"Method not allowed\n" ()

  let start store http port =
    Log.info (fun m -> m "serving 2048 on port %d" port);
    http (`TCP port) (Http.make ~callback:(callback store) ())
end
