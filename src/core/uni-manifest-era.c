/* uni-manifest-era.c — which mirage a config.ml is written for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest"

#include "config.h"

#include <string.h>

#include "uni-manifest-private.h"

/* A first-line comment `(* mirage >= 4.5.1 & < 4.6.0 *)` pins the tool (4.4.1+). */
void
_uni_manifest_read_version_pin (UniManifest  *self,
                                const GArray *all)
{
  const UniOcamlToken *t = NULL;
  const char *body;
  gsize len;

  for (guint k = 0; k < all->len; k++)
    {
      t = &g_array_index (all, UniOcamlToken, k);
      if (t->kind != UNI_OCAML_TOKEN_WHITESPACE)
        break;
    }
  if (t == NULL || t->kind != UNI_OCAML_TOKEN_COMMENT
      || (t->flags & UNI_OCAML_TOKEN_FLAG_UNTERMINATED)
      || memchr (self->text, '\n', t->offset) != NULL || t->length < 4)
    return;

  body = self->text + t->offset + 2;
  len = t->length - 4;
  while (len > 0 && g_ascii_isspace (*body))
    {
      body++;
      len--;
    }
  while (len > 0 && g_ascii_isspace (body[len - 1]))
    len--;

  if (len < 6 || strncmp (body, "mirage", 6) != 0 || (len > 6 && !g_ascii_isspace (body[6])))
    return;

  self->version_pin = g_strndup (body, len);
  self->version_pin_span.offset = body - self->text;
  self->version_pin_span.length = len;
}

static UniMirageEra
era_for_version (guint major,
                 guint minor)
{
  if (major >= 5 || (major == 4 && minor >= 5))
    return UNI_MIRAGE_ERA_4_5;
  if (major == 4)
    return UNI_MIRAGE_ERA_4_0;
  if (major == 3)
    return UNI_MIRAGE_ERA_3;
  if (major == 2 && minor >= 7)
    return UNI_MIRAGE_ERA_2_KEYS;
  if (major == 2)
    return UNI_MIRAGE_ERA_2_ENV;

  return UNI_MIRAGE_ERA_UNKNOWN;
}

/* The lower bound of the pin (`>=`, `>` or `=`), else UNKNOWN. */
UniMirageEra
_uni_manifest_era_from_pin (const char *pin)
{
  const char *p = pin;

  while ((p = strpbrk (p, ">=")) != NULL)
    {
      const char *q = p;
      guint64 major;
      guint64 minor = 0;
      char *end;

      while (*q == '>' || *q == '=')
        q++;
      while (*q == ' ' || *q == '\t' || *q == '"' || *q == 'v')
        q++;
      if (p > pin && p[-1] == '<')
        {
          p = q;
          continue;
        }
      if (!g_ascii_isdigit (*q))
        {
          p = q;
          continue;
        }
      major = g_ascii_strtoull (q, &end, 10);
      if (*end == '.')
        minor = g_ascii_strtoull (end + 1, NULL, 10);

      return era_for_version (MIN (major, G_MAXUINT), MIN (minor, G_MAXUINT));
    }

  return UNI_MIRAGE_ERA_UNKNOWN;
}

/* Without a version pin the era comes from the constructs, newest first:
 *  - `main "M" ...`, runtime arguments, `~pos:__POS__`: 4.5+;
 *  - `foreign` with a stackv4v6 device or `Key.v`: 4.0–4.4 (dual stacks and
 *    Key.v came with mirage 4);
 *  - `package "x"` calls, `Key.is_unix`/`Key.is_solo5`, `default_network`: 3.x;
 *  - string lists in `~packages`/`~libraries`: 2.7–2.9;
 *  - add_to_opam_packages/add_to_ocamlfind_libraries, getenv, get_mode: 2.x-env,
 *    unless `Key.create` says 2.7+;
 *  - `tap0` (2.x-env configs use it too, hence after them): 2.7–2.9;
 *  - an empty `~packages:[]`, what removing the last package leaves: 3.x,
 *    since the label needs 2.7+ and only `package` calls pin 3.x;
 *  - `Key.create` alone (2.7 to 4.4 all have it): 2.7–2.9.
 * A config with none of these (a bare `foreign` hello world reads the same
 * in every era from 2.0 to 4.4) stays unknown.
 */
UniMirageEra
_uni_manifest_era_from_markers (guint markers)
{
  if (markers & (MARK_MAIN | MARK_RUNTIME_ARG | MARK_POS))
    return UNI_MIRAGE_ERA_4_5;
  if (markers & (MARK_STACKV4V6 | MARK_KEY_V))
    return UNI_MIRAGE_ERA_4_0;
  if (markers & (MARK_PACKAGE_CALL | MARK_KEY_3 | MARK_DEFAULT_NET))
    return UNI_MIRAGE_ERA_3;
  if (markers & MARK_STRING_LISTS)
    return UNI_MIRAGE_ERA_2_KEYS;
  if (markers & (MARK_ADD_TO | MARK_GETENV | MARK_GET_MODE))
    return (markers & MARK_KEY_CREATE) ? UNI_MIRAGE_ERA_2_KEYS : UNI_MIRAGE_ERA_2_ENV;
  if (markers & MARK_TAP0)
    return UNI_MIRAGE_ERA_2_KEYS;
  if (markers & MARK_EMPTY_PACKAGES)
    return UNI_MIRAGE_ERA_3;
  if (markers & MARK_KEY_CREATE)
    return UNI_MIRAGE_ERA_2_KEYS;

  return UNI_MIRAGE_ERA_UNKNOWN;
}

/**
 * uni_mirage_era_to_string:
 * @era: a #UniMirageEra
 *
 * Returns: the era's short name: "unknown", "2.x-env", "2.7-2.9", "3.x",
 *   "4.0-4.4" or "4.5+"
 */
const char *
uni_mirage_era_to_string (UniMirageEra era)
{
  switch (era)
    {
    case UNI_MIRAGE_ERA_2_ENV:
      return "2.x-env";
    case UNI_MIRAGE_ERA_2_KEYS:
      return "2.7-2.9";
    case UNI_MIRAGE_ERA_3:
      return "3.x";
    case UNI_MIRAGE_ERA_4_0:
      return "4.0-4.4";
    case UNI_MIRAGE_ERA_4_5:
      return "4.5+";
    case UNI_MIRAGE_ERA_UNKNOWN:
    default:
      return "unknown";
    }
}
