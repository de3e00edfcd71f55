/* uni-manifest.h — config.ml read as a model, edited as text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-text-edit.h"

G_BEGIN_DECLS

#define UNI_MANIFEST_ERROR (uni_manifest_error_quark ())

/**
 * UniManifestError:
 * @UNI_MANIFEST_ERROR_UNKNOWN_KEY: no key of that name is declared
 * @UNI_MANIFEST_ERROR_INVALID_VALUE: the value does not fit the key's type
 * @UNI_MANIFEST_ERROR_NOT_FOUND: the field or package to change is not there
 * @UNI_MANIFEST_ERROR_EXISTS: the package is already listed
 * @UNI_MANIFEST_ERROR_UNSUPPORTED: the edit would need a construct that
 *   cannot be placed safely (a default computed by a helper function,
 *   two register calls, no package list to add to...)
 */
typedef enum
{
  UNI_MANIFEST_ERROR_UNKNOWN_KEY,
  UNI_MANIFEST_ERROR_INVALID_VALUE,
  UNI_MANIFEST_ERROR_NOT_FOUND,
  UNI_MANIFEST_ERROR_EXISTS,
  UNI_MANIFEST_ERROR_UNSUPPORTED,
} UniManifestError;

/**
 * UniMirageEra:
 *
 * The dialect of a config.ml, as MIRAGE.md describes the eras. Read from
 * the version pin when there is one, else from the constructs used.
 */
typedef enum
{
  UNI_MIRAGE_ERA_UNKNOWN,
  UNI_MIRAGE_ERA_2_ENV,   /* 2.0–2.6: getenv knobs, add_to_opam_packages */
  UNI_MIRAGE_ERA_2_KEYS,  /* 2.7–2.9: Key.create, string package lists */
  UNI_MIRAGE_ERA_3,       /* 3.x: package "x" ~min ~max, -t only */
  UNI_MIRAGE_ERA_4_0,     /* 4.0–4.4: foreign, dune, make depend */
  UNI_MIRAGE_ERA_4_5,     /* 4.5+: main, runtime arguments */
} UniMirageEra;

typedef struct
{
  gsize offset;
  gsize length;
} UniSpan;

/**
 * UniManifestKey:
 * @name: the key's name, `Key.create "port"`
 * @flags: (array zero-terminated=1): command-line names, `info ["port"; "p"]`
 * @kind: "opt", "flag", "required" or "opt_all"
 * @type: the converter as written, normalised: "int", "string", "bool",
 *   "ipv4_address", "ipv4", "some int", "list string", ...; NULL for a flag
 * @default_text: the default expression as written, NULL when there is none
 * @doc: the decoded ~doc string, or NULL
 * @docv: the decoded ~docv string, or NULL
 * @env: the ~env variable, or NULL
 * @stage: "configure", "run" or "both" (`~stage`), NULL when not given
 * @attached: whether the key is listed in a `Key.abstract`/`~keys` list
 * @span: the whole `Key.create ...` expression
 * @name_span: the key name's string literal
 * @default_span: the default expression (length 0 when none)
 * @doc_span: the doc string literal (length 0 when none)
 */
typedef struct
{
  char     *name;
  char    **flags;
  char     *kind;
  char     *type;
  char     *default_text;
  char     *doc;
  char     *docv;
  char     *env;
  char     *stage;
  gboolean  attached;
  UniSpan   span;
  UniSpan   name_span;
  UniSpan   default_span;
  UniSpan   doc_span;
} UniManifestKey;

/**
 * UniManifestPackage:
 * @name: the opam package (or, with @is_library, the ocamlfind library)
 * @min: ~min bound, or NULL
 * @max: ~max bound, or NULL
 * @sublibs: (array zero-terminated=1) (nullable): ~sublibs
 * @is_library: listed as a library (2.x `~libraries`, add_to_ocamlfind_libraries)
 * @span: the list element: a string literal or the `package ...` expression
 * @list_span: the enclosing `[ ... ]`
 */
typedef struct
{
  char     *name;
  char     *min;
  char     *max;
  char    **sublibs;
  gboolean  is_library;
  UniSpan   span;
  UniSpan   list_span;
} UniManifestPackage;

/**
 * UniManifestRuntimeArg:
 * @name: `runtime_arg ~pos:__POS__ "Unikernel.port"` gives "Unikernel.port";
 *   `Runtime_arg.create` gives the bound name
 * @span: the expression
 */
typedef struct
{
  char    *name;
  UniSpan  span;
} UniManifestRuntimeArg;

/**
 * UniManifestEnvKnob:
 * @name: the variable read with getenv: "NET", "DHCP", "FS", ...
 * @default_value: the value used when it is unset, when the config says
 * @span: the getenv expression
 */
typedef struct
{
  char    *name;
  char    *default_value;
  UniSpan  span;
} UniManifestEnvKnob;

/**
 * UniManifestProblem:
 * @message: what the reader could not understand, for the user
 * @span: where
 */
typedef struct
{
  char    *message;
  UniSpan  span;
} UniManifestProblem;

typedef enum
{
  UNI_MANIFEST_JSON_NONE  = 0,
  UNI_MANIFEST_JSON_SPANS = 1 << 0,
} UniManifestJsonFlags;

#define UNI_TYPE_MANIFEST (uni_manifest_get_type ())

G_DECLARE_FINAL_TYPE (UniManifest, uni_manifest, UNI, MANIFEST, GObject)

GQuark                       uni_manifest_error_quark            (void);
const char                  *uni_mirage_era_to_string            (UniMirageEra   era);

UniManifest                 *uni_manifest_new                    (const char    *text,
                                                                  gssize         length);
UniManifest                 *uni_manifest_new_for_file           (GFile         *file,
                                                                  GCancellable  *cancellable,
                                                                  GError       **error);
const char                  *uni_manifest_get_text               (UniManifest   *self,
                                                                  gsize         *length);

UniMirageEra                 uni_manifest_get_era                (UniManifest   *self);
const char                  *uni_manifest_get_name               (UniManifest   *self,
                                                                  UniSpan       *span);
const char                  *uni_manifest_get_entry              (UniManifest   *self,
                                                                  UniSpan       *span);
const char                  *uni_manifest_get_signature          (UniManifest   *self);
const char * const          *uni_manifest_get_devices            (UniManifest   *self);
const char                  *uni_manifest_get_version_pin        (UniManifest   *self,
                                                                  UniSpan       *span);
gboolean                     uni_manifest_get_uses_network       (UniManifest   *self);
const char                  *uni_manifest_get_static_store       (UniManifest   *self);

guint                        uni_manifest_get_n_keys             (UniManifest   *self);
const UniManifestKey        *uni_manifest_get_key                (UniManifest   *self,
                                                                  guint          position);
const UniManifestKey        *uni_manifest_find_key               (UniManifest   *self,
                                                                  const char    *name);
guint                        uni_manifest_get_n_packages         (UniManifest   *self);
const UniManifestPackage    *uni_manifest_get_package            (UniManifest   *self,
                                                                  guint          position);
guint                        uni_manifest_get_n_runtime_args     (UniManifest   *self);
const UniManifestRuntimeArg *uni_manifest_get_runtime_arg        (UniManifest   *self,
                                                                  guint          position);
guint                        uni_manifest_get_n_env_knobs        (UniManifest   *self);
const UniManifestEnvKnob    *uni_manifest_get_env_knob           (UniManifest   *self,
                                                                  guint          position);
guint                        uni_manifest_get_n_problems         (UniManifest   *self);
const UniManifestProblem    *uni_manifest_get_problem            (UniManifest   *self,
                                                                  guint          position);
guint                        uni_manifest_get_problem_line       (UniManifest   *self,
                                                                  guint          position);

char                        *uni_manifest_to_json                (UniManifest          *self,
                                                                  UniManifestJsonFlags  flags);
char                        *uni_manifest_to_json_with_runtime_args (UniManifest          *self,
                                                                     UniManifestJsonFlags  flags,
                                                                     GPtrArray            *decls);

UniTextEdit                 *uni_manifest_edit_set_key_default   (UniManifest   *self,
                                                                  const char    *key,
                                                                  const char    *value,
                                                                  GError       **error);
UniTextEdit                 *uni_manifest_edit_set_key_doc       (UniManifest   *self,
                                                                  const char    *key,
                                                                  const char    *doc,
                                                                  GError       **error);
UniTextEdit                 *uni_manifest_edit_rename            (UniManifest   *self,
                                                                  const char    *name,
                                                                  GError       **error);
UniTextEdit                 *uni_manifest_edit_set_entry         (UniManifest   *self,
                                                                  const char    *entry,
                                                                  GError       **error);
UniTextEdit                 *uni_manifest_edit_add_package       (UniManifest   *self,
                                                                  const char    *name,
                                                                  const char    *min,
                                                                  const char    *max,
                                                                  GError       **error);
UniTextEdit                 *uni_manifest_edit_remove_package    (UniManifest   *self,
                                                                  const char    *name,
                                                                  GError       **error);
UniTextEdit                 *uni_manifest_edit_constrain_package (UniManifest   *self,
                                                                  const char    *name,
                                                                  const char    *min,
                                                                  const char    *max,
                                                                  GError       **error);

G_END_DECLS
