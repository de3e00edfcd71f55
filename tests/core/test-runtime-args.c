/* test-runtime-args.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-manifest.h"
#include "uni-runtime-args.h"
#include "uni-test-util.h"

/* A declaration in one line: "K.port [port,p] opt int =8080 doc:… docv:… registered". */
static char *
describe (const UniRuntimeArgDecl *decl)
{
  g_autofree char *flags = g_strjoinv (",", decl->flags);
  GString *out = g_string_new (NULL);

  if (decl->module_path != NULL)
    g_string_append_printf (out, "%s.", decl->module_path);
  g_string_append_printf (out, "%s [%s] %s", decl->binding, flags, decl->kind);
  if (decl->type != NULL)
    g_string_append_printf (out, " %s", decl->type);
  if (decl->default_text != NULL)
    g_string_append_printf (out, " =%s", decl->default_text);
  if (decl->doc != NULL)
    g_string_append_printf (out, " doc:%s", decl->doc);
  if (decl->docv != NULL)
    g_string_append_printf (out, " docv:%s", decl->docv);
  if (decl->registered)
    g_string_append (out, " registered");

  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *name;
  const char *input;
  const char *expected[6];
} ReadCase;

static const ReadCase read_cases[] = {
  { "4.5-doc-binding",
    "open Cmdliner\n"
    "let port =\n"
    "  let doc = Arg.info ~doc:\"The port.\" [\"port\"] in\n"
    "  Arg.(value & opt int 8080 doc)\n",
    { "port [port] opt int =8080 doc:The port." } },
  { "4.5-inline-info",
    "open Cmdliner\n"
    "let port = Arg.(value & opt int 8080 (info ~doc:\"The port.\" [\"port\"]))\n",
    { "port [port] opt int =8080 doc:The port." } },
  { "4.5-cmdliner-qualified",
    "let hello =\n"
    "  let doc = Cmdliner.Arg.info ~docv:\"TEXT\" ~doc:\"How to say hello.\" [ \"hello\"; \"h\" ] in\n"
    "  Cmdliner.Arg.(value & opt string \"Hello World!\" doc)\n",
    { "hello [hello,h] opt string =\"Hello World!\" doc:How to say hello. docv:TEXT" } },
  { "applied-without-local-open",
    "let port = Cmdliner.Arg.value (Cmdliner.Arg.opt Cmdliner.Arg.int 80 "
    "(Cmdliner.Arg.info [\"port\"]))\n",
    { "port [port] opt int =80" } },
  { "info-after-ampersand",
    "open Cmdliner\nlet port = Arg.(value & opt int 443 & info [\"https\"] ~doc:\"TLS port\")\n",
    { "port [https] opt int =443 doc:TLS port" } },
  { "4.8-register-arg",
    "open Cmdliner\n"
    "let port =\n"
    "  Mirage_runtime.register_arg Arg.(value & opt int 8080 (info [\"port\"] ~doc:\"Port.\"))\n",
    { "port [port] opt int =8080 doc:Port. registered" } },
  { "4.8-module-k",
    "module K = struct\n"
    "  open Cmdliner\n"
    "  let check =\n"
    "    let doc = Arg.info ~doc:\"Only check\" [\"check\"] in\n"
    "    Mirage_runtime.register_arg Arg.(value & flag doc)\n"
    "  let port =\n"
    "    let doc = Arg.info ~doc:\"Port\" [\"port\"] in\n"
    "    Mirage_runtime.register_arg Arg.(value & opt int 80 doc)\n"
    "end\n"
    "module Main (S : Tcpip.Stack.V4V6) = struct\n"
    "  let start s = S.listen s (K.port ())\n"
    "end\n",
    { "K.check [check] flag doc:Only check registered",
      "K.port [port] opt int =80 doc:Port registered" } },
  { "option-list-and-required",
    "open Cmdliner\n"
    "let name = Arg.(value & opt (some string) None (info [\"name\"]))\n"
    "let peers = Arg.(value & opt_all string [] (info [\"peer\"]))\n"
    "let key = Arg.(required & opt (some string) None (info [\"key\"]))\n"
    "let hosts = Arg.(value & opt (list ~sep:',' string) [ \"a\"; \"b\" ] (info [\"hosts\"]))\n",
    { "name [name] opt some string =None", "peers [peer] opt_all string =[]",
      "key [key] required some string =None",
      "hosts [hosts] opt list string =[ \"a\"; \"b\" ]" } },
  { "names-followed",
    "open Cmdliner\n"
    "let url = \"https://example.org/list.txt\"\n"
    "let blocklist =\n"
    "  let doc = \"Where the list is\" in\n"
    "  let info = Arg.info ~doc [\"blocklist-url\"] in\n"
    "  Mirage_runtime.register_arg Arg.(value & opt string url info)\n"
    "let platform =\n"
    "  let doc = Arg.info ~docv:\"IP\" ~doc:\"Platform IP.\" [ \"platform\" ] in\n"
    "  let default_ip = Ipaddr.V4.of_string_exn \"169.254.169.2\" in\n"
    "  Mirage_runtime.register_arg Arg.(value & opt ip_address default_ip doc)\n",
    { "blocklist [blocklist-url] opt string =\"https://example.org/list.txt\" "
      "doc:Where the list is registered",
      "platform [platform] opt ip_address =Ipaddr.V4.of_string_exn \"169.254.169.2\" "
      "doc:Platform IP. docv:IP registered" } },
  { "comments-and-negative",
    "(* let fake = Arg.(value & opt int 1 (info [\"fake\"])) *)\n"
    "let delta = Arg.((* before *) value & opt int (-1) (info [\"delta\"]) (* after *))\n",
    { "delta [delta] opt int =(-1)" } },
  { "not-runtime-args",
    "let opt = 3\n"
    "let f x = Arg.(value & opt int x (info [\"x\"]))\n"
    "let pos = Arg.(value & pos 0 string \"\" (info []))\n"
    "let other = Foo.(value & opt int 1 (info [\"o\"]))\n"
    "let no_info = Arg.(value & opt int 1 doc)\n"
    "let src = Logs.Src.create \"www\" ~doc:\"server\"\n",
    { NULL } },
  { "broken-shapes-skipped",
    "let a = Arg.(value & opt int\n"
    "let b = Arg.(value & opt int 2 (info [\"b\"]))\n"
    "let c = Arg.(value & opt int 3 (info [\"c\"\n",
    { "b [b] opt int =2" } },
  { "empty", "", { NULL } },
  { "only-comment", "(* Arg.(value & opt int 1 (info [\"x\"])) ", { NULL } },
};

static void
test_read (gconstpointer data)
{
  const ReadCase *c = data;
  g_autoptr(GPtrArray) decls = uni_runtime_args_read (c->input, strlen (c->input));
  guint n_expected = 0;

  while (c->expected[n_expected] != NULL)
    n_expected++;

  for (guint k = 0; k < MIN (decls->len, n_expected); k++)
    {
      g_autofree char *got = describe (g_ptr_array_index (decls, k));

      g_assert_cmpstr (got, ==, c->expected[k]);
    }
  g_assert_cmpuint (decls->len, ==, n_expected);
}

static void
test_read_spans (void)
{
  const char *input =
    "let port =\n"
    "  let doc = Cmdliner.Arg.info ~doc:\"The port.\" [\"port\"] in\n"
    "  Cmdliner.Arg.(value & opt int 8080 doc)\n"
    "\n"
    "let x = 1\n";
  g_autoptr(GPtrArray) decls = uni_runtime_args_read (input, strlen (input));
  const UniRuntimeArgDecl *decl;

  g_assert_cmpuint (decls->len, ==, 1);
  decl = g_ptr_array_index (decls, 0);

  g_assert_cmpuint (decl->span.offset, ==, 0);
  g_assert_cmpmem (input + decl->span.length - 9, 9, "8080 doc)", 9);
  g_assert_cmpmem (input + decl->name_span.offset, decl->name_span.length, "port", 4);
  g_assert_cmpmem (input + decl->default_span.offset, decl->default_span.length, "8080", 4);
  g_assert_cmpmem (input + decl->doc_span.offset, decl->doc_span.length, "\"The port.\"", 11);
}

static void
test_read_garbage (void)
{
  static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0(\xff\xfe[|let = in end end ) ]";
  static const char * const inputs[] = {
    "let", "let port", "let port =", "let port = Arg.(", "let port = Arg.(value & opt",
    "let port = Arg.(value & opt int 1 (info", "module K = struct let port = ",
    "end end ) ] } let x = Arg.(value & opt int 1 (info [\"x\"])) |] ;;",
    "let x = let y = let z = in in in", "\"unterminated", "{id|quoted",
    "module = struct", "module K (", "~doc ~doc: ?x: & & opt opt flag",
  };
  g_autoptr(GString) deep = g_string_new ("let x = ");

  for (guint k = 0; k < G_N_ELEMENTS (inputs); k++)
    {
      g_autoptr(GPtrArray) decls = uni_runtime_args_read (inputs[k], strlen (inputs[k]));

      g_assert_nonnull (decls);
    }

  {
    g_autoptr(GPtrArray) decls = uni_runtime_args_read (binary, sizeof binary - 1);

    g_assert_cmpuint (decls->len, ==, 0);
  }

  /* Deep nesting and a name bound to itself must not recurse without end. */
  for (guint k = 0; k < 10000; k++)
    g_string_append (deep, "(module K = struct ");
  {
    g_autoptr(GPtrArray) decls = uni_runtime_args_read (deep->str, deep->len);

    g_assert_cmpuint (decls->len, ==, 0);
  }
  {
    const char *loop = "let doc = doc\nlet p = Arg.(value & opt int 1 doc)\n"
                       "let q = let i = i in Arg.(value & opt int 1 i)\n";
    g_autoptr(GPtrArray) decls = uni_runtime_args_read (loop, strlen (loop));

    g_assert_cmpuint (decls->len, ==, 0);
  }
  {
    g_autoptr(GPtrArray) decls = uni_runtime_args_read (NULL, 0);

    g_assert_cmpuint (decls->len, ==, 0);
  }
}

static void
test_demo (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demos", "2048",
                                                 "unikernel.ml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decls = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  const UniRuntimeArgDecl *decl;
  gsize length;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);

  decls = uni_runtime_args_read (text, length);
  decl = uni_runtime_args_find (decls, "Unikernel.port");
  g_assert_nonnull (decl);
  g_assert_cmpstr (decl->type, ==, "int");
  g_assert_cmpstr (decl->default_text, ==, "8080");
  g_assert_cmpstr (decl->doc, ==, "The TCP port the web server listens on.");
  g_assert_cmpstr (decl->docv, ==, "PORT");
  g_assert_cmpstrv (decl->flags, ((const char * const[]) { "port", NULL }));
  g_assert_false (decl->registered);

  json = uni_runtime_arg_decl_default_to_json (decl);
  g_assert_cmpstr (json, ==, "8080");
}

typedef struct
{
  const char *name;
  const char *file;
  const char *module_path;
  const char *binding;
} NameCase;

static const NameCase name_cases[] = {
  { "Unikernel.port", "unikernel.ml", NULL, "port" },
  { "Unikernel.K.port", "unikernel.ml", "K", "port" },
  { "Unikernel.K.L.port", "unikernel.ml", "K.L", "port" },
  { "Foo_bar.x", "foo_bar.ml", NULL, "x" },
  { "Unikernel", "unikernel.ml", NULL, NULL },
  { "port", NULL, NULL, NULL },
  { "", NULL, NULL, NULL },
  { ".port", NULL, NULL, NULL },
  { "Unikernel.", "unikernel.ml", NULL, NULL },
  { "Foo-bar.x", NULL, NULL, NULL },
};

static void
test_names (void)
{
  const char *input = "let port = Arg.(value & opt int 1 (info [\"a\"]))\n"
                      "let x = Arg.(value & opt int 2 (info [\"b\"]))\n"
                      "module K = struct\n"
                      "  let port = Arg.(value & opt int 3 (info [\"c\"]))\n"
                      "  module L = struct let port = Arg.(value & opt int 4 (info [\"d\"])) end\n"
                      "end\n"
                      "let port = Arg.(value & opt int 5 (info [\"e\"]))\n";
  g_autoptr(GPtrArray) decls = uni_runtime_args_read (input, strlen (input));

  g_assert_cmpuint (decls->len, ==, 5);

  for (guint k = 0; k < G_N_ELEMENTS (name_cases); k++)
    {
      const NameCase *c = &name_cases[k];
      g_autofree char *file = uni_runtime_args_module_file (c->name);
      const UniRuntimeArgDecl *decl = uni_runtime_args_find (decls, c->name);

      g_assert_cmpstr (file, ==, c->file);
      if (c->binding == NULL)
        {
          g_assert_null (decl);
          continue;
        }
      g_assert_nonnull (decl);
      g_assert_cmpstr (decl->binding, ==, c->binding);
      g_assert_cmpstr (decl->module_path, ==, c->module_path);
    }

  /* The later binding shadows the first, as in OCaml. */
  g_assert_cmpstr (uni_runtime_args_find (decls, "Unikernel.port")->default_text, ==, "5");
  g_assert_cmpstr (uni_runtime_args_find (decls, "Unikernel.K.L.port")->default_text, ==, "4");
  g_assert_null (uni_runtime_args_find (decls, "Unikernel.L.port"));
}

typedef struct
{
  const char *default_text;
  const char *json;
} DefaultCase;

static const DefaultCase default_cases[] = {
  { "8080", "8080" },
  { "(-1)", "-1" },
  { "0x1F", "31" },
  { "1_000", "1000" },
  { "1.5", "1.5" },
  { "true", "true" },
  { "\"Hello\"", "\"Hello\"" },
  { "{|raw|}", "\"raw\"" },
  { "None", "null" },
  { "(Some 3)", "3" },
  { "[]", "[]" },
  { "Ipaddr.V4.of_string_exn \"10.0.0.2\"", "\"10.0.0.2\"" },
  { "default_ip", "\"default_ip\"" },
  { "a ^ b", "\"a ^ b\"" },
  { NULL, "null" },
};

static void
test_default_json (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (default_cases); k++)
    {
      UniRuntimeArgDecl decl = { 0 };
      g_autofree char *json = NULL;

      decl.default_text = (char *) default_cases[k].default_text;
      json = uni_runtime_arg_decl_default_to_json (&decl);
      g_assert_cmpstr (json, ==, default_cases[k].json);
    }
}

/* Outside "runtime_args" the output must be uni_manifest_to_json()'s, byte
 * for byte: compare the two with that member cut out of both.
 */
static char *
without_runtime_args (const char *json)
{
  const char *start = strstr (json, "\n  \"runtime_args\": [");
  const char *end = start != NULL ? strstr (start, "\n  \"env_knobs\": ") : NULL;
  g_autofree char *before = NULL;

  g_assert_nonnull (end);
  before = g_strndup (json, start - json);

  return g_strconcat (before, end, NULL);
}

static void
test_json_matches_manifest (void)
{
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", "manifest", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  const char *name;
  guint n_files = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *text = NULL;
      g_autoptr(UniManifest) manifest = NULL;
      gsize length;

      if (!g_str_has_suffix (name, ".ml"))
        continue;

      g_file_get_contents (path, &text, &length, &error);
      g_assert_no_error (error);
      manifest = uni_manifest_new (text, length);

      for (guint flags = 0; flags <= UNI_MANIFEST_JSON_SPANS; flags++)
        {
          g_autofree char *plain = uni_manifest_to_json (manifest, flags);
          g_autofree char *full = uni_manifest_to_json_with_runtime_args (manifest, flags, NULL);

          if (uni_manifest_get_n_runtime_args (manifest) == 0)
            g_assert_cmpstr (full, ==, plain);
          else
            {
              g_autofree char *a = without_runtime_args (plain);
              g_autofree char *b = without_runtime_args (full);

              g_assert_cmpstr (b, ==, a);
            }
        }
      n_files++;
    }

  g_assert_cmpuint (n_files, >, 10);
}

static void
test_json_runtime_args (void)
{
  const char *config = "open Mirage\n"
                       "let port = runtime_arg ~pos:__POS__ \"Unikernel.port\"\n"
                       "let host = runtime_arg ~pos:__POS__ \"Unikernel.host\"\n"
                       "let other = runtime_arg ~pos:__POS__ \"Other.x\"\n"
                       "let main = main \"Unikernel.Main\" ~runtime_args:[ port; host; other ] job\n"
                       "let () = register \"x\" [ main ]\n";
  const char *unikernel = "let x = Arg.(value & opt int 1 (info [\"x\"]))\n"
                          "let port = Arg.(value & opt int 8080 (info ~doc:\"P\" [\"port\"]))\n"
                          "module K = struct\n"
                          "  let verbose = Mirage_runtime.register_arg Arg.(value & flag "
                          "(info [\"v\"]))\n"
                          "end\n";
  const char *expected = "  \"runtime_args\": [\n"
                         "    {\n"
                         "      \"name\": \"Unikernel.port\",\n"
                         "      \"flags\": [\n"
                         "        \"port\"\n"
                         "      ],\n"
                         "      \"type\": \"int\",\n"
                         "      \"default\": 8080,\n"
                         "      \"doc\": \"P\"\n"
                         "    },\n"
                         "    {\n"
                         "      \"name\": \"Unikernel.host\",\n"
                         "      \"flags\": null,\n"
                         "      \"type\": null,\n"
                         "      \"default\": null,\n"
                         "      \"doc\": null\n"
                         "    },\n"
                         "    {\n"
                         "      \"name\": \"Other.x\",\n"
                         "      \"flags\": null,\n"
                         "      \"type\": null,\n"
                         "      \"default\": null,\n"
                         "      \"doc\": null\n"
                         "    },\n"
                         "    {\n"
                         "      \"name\": \"Unikernel.K.verbose\",\n"
                         "      \"flags\": [\n"
                         "        \"v\"\n"
                         "      ],\n"
                         "      \"type\": null,\n"
                         "      \"default\": null,\n"
                         "      \"doc\": null\n"
                         "    }\n"
                         "  ],\n";
  g_autoptr(UniManifest) manifest = uni_manifest_new (config, -1);
  g_autoptr(GPtrArray) decls = uni_runtime_args_read (unikernel, strlen (unikernel));
  g_autofree char *module = uni_runtime_args_dup_module (manifest);
  g_autofree char *json = uni_manifest_to_json_with_runtime_args (manifest,
                                                                  UNI_MANIFEST_JSON_NONE,
                                                                  decls);

  g_assert_cmpstr (module, ==, "Unikernel");
  g_assert_nonnull (strstr (json, expected));
}

static void
test_dup_module (void)
{
  static const struct {
    const char *config;
    const char *module;
  } cases[] = {
    { "let main = main \"Unikernel.Hello\" job\nlet () = register \"h\" [ main ]\n", "Unikernel" },
    { "let main = main \"Unikernel\" job\nlet () = register \"h\" [ main ]\n", "Unikernel" },
    { "let p = runtime_arg ~pos:__POS__ \"Server.port\"\n"
      "let main = main ~runtime_args:[ p ] \"Unikernel.Main\" job\n", "Server" },
    { "let () = ()\n", NULL },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(UniManifest) manifest = uni_manifest_new (cases[k].config, -1);
      g_autofree char *module = uni_runtime_args_dup_module (manifest);

      g_assert_cmpstr (module, ==, cases[k].module);
    }
}

/* "Unikernel.port → port", "Unikernel.host → ?" for an argument without a
 * declaration, "Unikernel.K.verbose → K.verbose".
 */
static char *
describe_taken (const UniRuntimeArgTaken *arg)
{
  if (arg->decl == NULL)
    return g_strdup_printf ("%s → ?", arg->name);
  if (arg->decl->module_path != NULL)
    return g_strdup_printf ("%s → %s.%s", arg->name, arg->decl->module_path, arg->decl->binding);

  return g_strdup_printf ("%s → %s", arg->name, arg->decl->binding);
}

typedef struct
{
  const char *name;
  const char *config;
  /* NULL: the module file was not read */
  const char *unikernel;
  const char *expected[6];
} TakenCase;

#define CONFIG_PORT_HOST_OTHER \
  "open Mirage\n" \
  "let port = runtime_arg ~pos:__POS__ \"Unikernel.port\"\n" \
  "let host = runtime_arg ~pos:__POS__ \"Unikernel.host\"\n" \
  "let other = runtime_arg ~pos:__POS__ \"Other.x\"\n" \
  "let main = main \"Unikernel.Main\" ~runtime_args:[ port; host; other ] job\n"

#define UNIKERNEL_PORT_X_VERBOSE \
  "let x = Arg.(value & opt int 1 (info [\"x\"]))\n" \
  "let port = Arg.(value & opt int 8080 (info [\"port\"]))\n" \
  "module K = struct\n" \
  "  let verbose = Mirage_runtime.register_arg Arg.(value & flag (info [\"v\"]))\n" \
  "end\n"

static const TakenCase taken_cases[] = {
  /* config.ml's list in its order, then what the module registers; x is
   * declared but neither listed nor registered, and Other.x is another
   * module's.
   */
  { "listed-then-registered", CONFIG_PORT_HOST_OTHER, UNIKERNEL_PORT_X_VERBOSE,
    { "Unikernel.port → port", "Unikernel.host → ?", "Other.x → ?",
      "Unikernel.K.verbose → K.verbose" } },
  { "not-read", CONFIG_PORT_HOST_OTHER, NULL,
    { "Unikernel.port → ?", "Unikernel.host → ?", "Other.x → ?" } },
  { "registered-and-listed-once",
    "let v = runtime_arg ~pos:__POS__ \"Unikernel.K.verbose\"\n"
    "let main = main \"Unikernel.Main\" ~runtime_args:[ v ] job\n",
    UNIKERNEL_PORT_X_VERBOSE,
    { "Unikernel.K.verbose → K.verbose" } },
  /* 4.8+: nothing in config.ml, the entry names the module. */
  { "registered-only",
    "let main = main \"Unikernel.Hello\" job\nlet () = register \"hello\" [ main ]\n",
    "let hello = Mirage_runtime.register_arg Arg.(value & opt string \"Hi\" (info [\"hello\"]))\n"
    "let quiet = Arg.(value & flag (info [\"q\"]))\n",
    { "Unikernel.hello → hello" } },
  { "other-module-file",
    "let p = runtime_arg ~pos:__POS__ \"Server.port\"\n"
    "let main = main ~runtime_args:[ p ] \"Unikernel.Main\" job\n",
    "let port = Arg.(value & opt int 80 (info [\"port\"]))\n"
    "let tls = Mirage_runtime.register_arg Arg.(value & flag (info [\"tls\"]))\n",
    { "Server.port → port", "Server.tls → tls" } },
  { "no-module", "let () = ()\n", UNIKERNEL_PORT_X_VERBOSE, { NULL } },
  { "empty-module-file", CONFIG_PORT_HOST_OTHER, "",
    { "Unikernel.port → ?", "Unikernel.host → ?", "Other.x → ?" } },
};

static void
test_dup_taken (gconstpointer data)
{
  const TakenCase *c = data;
  g_autoptr(UniManifest) manifest = uni_manifest_new (c->config, -1);
  g_autoptr(GPtrArray) decls = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  guint n_expected = 0;

  if (c->unikernel != NULL)
    decls = uni_runtime_args_read (c->unikernel, strlen (c->unikernel));
  taken = uni_runtime_args_dup_taken (manifest, decls);

  while (n_expected < G_N_ELEMENTS (c->expected) && c->expected[n_expected] != NULL)
    n_expected++;

  for (guint k = 0; k < taken->len; k++)
    {
      const UniRuntimeArgTaken *arg = g_ptr_array_index (taken, k);
      g_autofree char *description = describe_taken (arg);

      g_assert_cmpuint (k, <, n_expected);
      g_assert_cmpstr (description, ==, c->expected[k]);
      /* Borrowed from the declarations given, never a copy. */
      g_assert_true (arg->decl == NULL || g_ptr_array_find (decls, arg->decl, NULL));
    }
  g_assert_cmpuint (taken->len, ==, n_expected);
}

typedef struct
{
  const char *name;
  const char *config;
  /* written next to config.ml; a NULL contents makes a folder instead */
  const char *file;
  const char *contents;
  const char *bindings;
  GQuark      (*error_domain) (void);
  int         error_code;
} LoadCase;

static const LoadCase load_cases[] = {
  { "unikernel-ml", CONFIG_PORT_HOST_OTHER, "unikernel.ml", UNIKERNEL_PORT_X_VERBOSE,
    "x port verbose", NULL, 0 },
  { "entry-module",
    "let main = main \"Hello.Main\" job\n",
    "hello.ml", "let hello = Mirage_runtime.register_arg Arg.(value & flag (info [\"h\"]))\n",
    "hello", NULL, 0 },
  { "first-runtime-arg-module",
    "let p = runtime_arg ~pos:__POS__ \"Server.port\"\n"
    "let main = main ~runtime_args:[ p ] \"Unikernel.Main\" job\n",
    "server.ml", "let port = Arg.(value & opt int 80 (info [\"port\"]))\n",
    "port", NULL, 0 },
  { "empty-file", CONFIG_PORT_HOST_OTHER, "unikernel.ml", "", "", NULL, 0 },
  { "no-module", "let () = ()\n", "unikernel.ml", UNIKERNEL_PORT_X_VERBOSE, NULL, NULL, 0 },
  { "no-file", CONFIG_PORT_HOST_OTHER, "other.ml", "let x = 1\n", NULL, NULL, 0 },
  { "unreadable", CONFIG_PORT_HOST_OTHER, "unikernel.ml", NULL, NULL,
    g_io_error_quark, G_IO_ERROR_IS_DIRECTORY },
};

static void
test_load (gconstpointer data)
{
  const LoadCase *c = data;
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniManifest) manifest = uni_manifest_new (c->config, -1);
  g_autoptr(GPtrArray) decls = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "config.ml", c->config);
  if (c->contents != NULL)
    {
      uni_test_write_file (dir, c->file, c->contents);
    }
  else
    {
      g_autoptr(GFile) folder = g_file_get_child (dir, c->file);

      g_file_make_directory (folder, NULL, &error);
      g_assert_no_error (error);
    }

  decls = uni_runtime_args_load (manifest, dir, NULL, &error);

  if (c->error_domain != NULL)
    {
      g_assert_error (error, c->error_domain (), c->error_code);
      g_assert_null (decls);
    }
  else if (c->bindings == NULL)
    {
      g_assert_no_error (error);
      g_assert_null (decls);
    }
  else
    {
      g_autoptr(GString) bindings = g_string_new (NULL);

      g_assert_no_error (error);
      g_assert_nonnull (decls);
      for (guint k = 0; k < decls->len; k++)
        {
          const UniRuntimeArgDecl *decl = g_ptr_array_index (decls, k);

          g_string_append_printf (bindings, "%s%s", k > 0 ? " " : "", decl->binding);
        }
      g_assert_cmpstr (bindings->str, ==, c->bindings);
    }
}

/* Cancelled before it starts, it reads nothing. */
static void
test_load_cancelled (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniManifest) manifest = uni_manifest_new (CONFIG_PORT_HOST_OTHER, -1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) decls = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "unikernel.ml", UNIKERNEL_PORT_X_VERBOSE);
  g_cancellable_cancel (cancellable);

  decls = uni_runtime_args_load (manifest, dir, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (decls);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  for (guint k = 0; k < G_N_ELEMENTS (read_cases); k++)
    {
      g_autofree char *path = g_strdup_printf ("/uni/runtime-args/read/%s", read_cases[k].name);

      g_test_add_data_func (path, &read_cases[k], test_read);
    }
  g_test_add_func ("/uni/runtime-args/read-spans", test_read_spans);
  g_test_add_func ("/uni/runtime-args/read-garbage", test_read_garbage);
  g_test_add_func ("/uni/runtime-args/demo", test_demo);
  g_test_add_func ("/uni/runtime-args/names", test_names);
  g_test_add_func ("/uni/runtime-args/dup-module", test_dup_module);
  g_test_add_func ("/uni/runtime-args/default-json", test_default_json);
  g_test_add_func ("/uni/runtime-args/json-matches-manifest", test_json_matches_manifest);
  g_test_add_func ("/uni/runtime-args/json-runtime-args", test_json_runtime_args);
  for (guint k = 0; k < G_N_ELEMENTS (taken_cases); k++)
    {
      g_autofree char *path = g_strdup_printf ("/uni/runtime-args/dup-taken/%s",
                                               taken_cases[k].name);

      g_test_add_data_func (path, &taken_cases[k], test_dup_taken);
    }
  for (guint k = 0; k < G_N_ELEMENTS (load_cases); k++)
    {
      g_autofree char *path = g_strdup_printf ("/uni/runtime-args/load/%s", load_cases[k].name);

      g_test_add_data_func (path, &load_cases[k], test_load);
    }
  g_test_add_func ("/uni/runtime-args/load-cancelled", test_load_cancelled);

  return g_test_run ();
}
