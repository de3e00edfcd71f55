/* uni-runtime-args.h — the runtime arguments a unikernel.ml declares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-manifest.h"

G_BEGIN_DECLS

/**
 * UniRuntimeArgDecl:
 * @binding: the value's name, `let port = ...` gives "port"
 * @module_path: (nullable): the submodules it is bound in, "K" for
 *   `module K = struct let port = ... end`; %NULL at the top of the file
 * @flags: (array zero-terminated=1): command-line names, `info ["port"; "p"]`
 * @kind: "opt", "flag", "required", "opt_all" or "flag_all"
 * @type: the converter, normalised as for #UniManifestKey: "int", "string",
 *   "some int", "list string", ...; %NULL for a flag
 * @default_text: the default expression as written (a local or top-level
 *   name is followed to what it is bound to), %NULL when there is none
 * @doc: the decoded ~doc string, or %NULL
 * @docv: the decoded ~docv string, or %NULL
 * @registered: declared with `Mirage_runtime.register_arg` (mirage 4.8+),
 *   so the unikernel takes it at boot whether config.ml names it or not
 * @span: the whole `let` binding
 * @name_span: the binding's name
 * @default_span: the default expression (length 0 when none)
 * @doc_span: the doc string literal (length 0 when none)
 */
typedef struct
{
  char      *binding;
  char      *module_path;
  char     **flags;
  char      *kind;
  char      *type;
  char      *default_text;
  char      *doc;
  char      *docv;
  gboolean   registered;
  UniSpan    span;
  UniSpan    name_span;
  UniSpan    default_span;
  UniSpan    doc_span;
} UniRuntimeArgDecl;

/**
 * UniRuntimeArgTaken:
 * @name: the argument's name as config.ml gives it, "Unikernel.port"; for
 *   one the module registers itself, its module, submodules and binding,
 *   "Unikernel.K.verbose"
 * @decl: (nullable): its declaration, borrowed from the declarations it was
 *   found in; %NULL when they do not declare it (or were not read)
 */
typedef struct
{
  char                    *name;
  const UniRuntimeArgDecl *decl;
} UniRuntimeArgTaken;

void                     uni_runtime_arg_decl_free              (UniRuntimeArgDecl       *decl);
void                     uni_runtime_arg_taken_free             (UniRuntimeArgTaken      *taken);

GPtrArray               *uni_runtime_args_read                  (const char              *text,
                                                                 gsize                    length);
const UniRuntimeArgDecl *uni_runtime_args_find                  (GPtrArray               *decls,
                                                                 const char              *runtime_arg_name);
char                    *uni_runtime_args_module_file           (const char              *runtime_arg_name);
char                    *uni_runtime_args_dup_module            (UniManifest             *manifest);
char                    *uni_runtime_arg_decl_default_to_json   (const UniRuntimeArgDecl *decl);
GPtrArray               *uni_runtime_args_dup_taken             (UniManifest             *manifest,
                                                                 GPtrArray               *decls);
GPtrArray               *uni_runtime_args_load                  (UniManifest             *manifest,
                                                                 GFile                   *project_dir,
                                                                 GCancellable            *cancellable,
                                                                 GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniRuntimeArgDecl, uni_runtime_arg_decl_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniRuntimeArgTaken, uni_runtime_arg_taken_free)

G_END_DECLS
