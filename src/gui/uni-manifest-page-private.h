/* uni-manifest-page-private.h — what the Manifest page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "uni-configure-flags.h"
#include "uni-manifest-page.h"
#include "uni-runtime-args.h"

G_BEGIN_DECLS

struct _UniManifestPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkStack           *stack;
  AdwStatusPage      *empty_page;
  GtkWidget          *hint_box;
  GtkLabel           *hint_label;
  AdwPreferencesGroup *unikernel_group;
  AdwEntryRow        *name_row;
  AdwEntryRow        *entry_row;
  AdwActionRow       *era_row;
  GtkLabel           *era_label;
  AdwPreferencesGroup *keys_group;
  GtkListBox         *keys_list;
  AdwPreferencesGroup *packages_group;
  GtkListBox         *packages_list;
  AdwExpanderRow     *add_package_row;
  AdwEntryRow        *package_name_row;
  AdwEntryRow        *package_min_row;
  AdwEntryRow        *package_max_row;
  GtkWidget          *add_package_button;
  AdwActionRow       *signature_row;
  GtkLabel           *signature_label;
  GtkLabel           *network_label;
  GtkLabel           *store_label;
  GtkListBox         *targets_list;
  AdwComboRow        *target_row;
  AdwActionRow       *settings_error_row;
  GtkStringList      *targets_model;
  AdwPreferencesGroup *problems_group;
  GtkListBox         *problems_list;

  /* Owned */
  UniEditorPage      *editor;
  UniProjectSettings *settings;
  UniManifest        *manifest;
  GPtrArray          *flags;            /* UniConfigureFlag, for the current manifest */
  GPtrArray          *row_flags;        /* the flags the per-target rows were built from */
  GPtrArray          *row_boot_flags;   /* UniConfigureFlag, one per boot argument: likewise */
  GPtrArray          *runtime_decls;    /* UniRuntimeArgDecl, from the module file; NULL unread */
  GFile              *runtime_file;     /* the module file they are read from (unikernel.ml) */
  GFileMonitor       *runtime_monitor;
  GCancellable       *runtime_cancellable;
  GHashTable         *original_values;  /* key name → value as first read */
  GCancellable       *cancellable;
  GCancellable       *parse_cancellable;
  char               *keys_shape;
  char               *packages_shape;
  char               *problems_shape;
  char               *targets_shape;
  guint               reparse_source;
  guint64             buffer_serial;
  guint64             manifest_serial;

  /* Borrowed: the rows live in their list boxes */
  GtkTextBuffer      *buffer;
  GPtrArray          *key_rows;
  GPtrArray          *key_extra_rows;
  GPtrArray          *package_rows;
  GPtrArray          *problem_rows;
  GPtrArray          *target_rows;

  /* Flags */
  guint               own_settings : 1;
  guint               settings_loaded : 1;
  guint               updating : 1;
};

/* Rows and widgets */
gboolean   _uni_manifest_page_has_focus_within       (GtkWidget       *widget);
void       _uni_manifest_page_set_editable_text      (GtkEditable     *editable,
                                                      const char      *text);
void       _uni_manifest_page_set_invalid            (GtkWidget       *widget,
                                                      GtkWidget       *row,
                                                      const char      *message);
void       _uni_manifest_page_remove_rows            (GtkListBox      *list,
                                                      GPtrArray       *rows);
GtkWidget *_uni_manifest_page_new_row                (const char      *title,
                                                      const char      *subtitle);
GtkWidget *_uni_manifest_page_new_icon_button        (const char      *icon_name,
                                                      const char      *label);
GtkWidget *_uni_manifest_page_new_flag_label         (const char      *flag);
GtkWidget *_uni_manifest_page_new_value_entry        (int              width_chars);
int        _uni_manifest_page_entry_width_for_type   (const char      *type);

/**
 * UniManifestPageBootArg:
 * @name: as config.ml names it, "Unikernel.port"
 * @flag: the option the unikernel takes it with at boot, "port": --port,
 *   and boot.port in the project settings
 * @decl: (nullable): its declaration in the module file, borrowed from
 *   the page's runtime_decls
 */
typedef struct
{
  char                    *name;
  char                    *flag;
  const UniRuntimeArgDecl *decl;
} UniManifestPageBootArg;

/* The page */
void       _uni_manifest_page_show_toast             (UniManifestPage *self,
                                                      const char      *message);
gboolean   _uni_manifest_page_can_edit               (UniManifestPage *self);
gboolean   _uni_manifest_page_ensure_current         (UniManifestPage *self);
gboolean   _uni_manifest_page_apply_text_edit        (UniManifestPage *self,
                                                      const UniTextEdit *edit);
gboolean   _uni_manifest_page_apply_or_report        (UniManifestPage *self,
                                                      UniTextEdit     *edit,
                                                      GError          *error);
void       _uni_manifest_page_update_form            (UniManifestPage *self);

/* uni-manifest-page-keys.c */
void       _uni_manifest_page_keys_class_init        (GtkWidgetClass  *widget_class);
void       _uni_manifest_page_update_keys_group      (UniManifestPage *self);
char      *_uni_manifest_page_dup_plain_value        (const char      *ocaml_text);

/* uni-manifest-page-boot.c */
void       _uni_manifest_page_watch_runtime_file     (UniManifestPage *self);
void       _uni_manifest_page_boot_dispose           (UniManifestPage *self);
GPtrArray *_uni_manifest_page_dup_boot_args          (UniManifestPage *self);
void       _uni_manifest_page_append_boot_shape      (UniManifestPage *self,
                                                      GString         *shape);
guint      _uni_manifest_page_add_boot_rows          (UniManifestPage *self);

/* uni-manifest-page-packages.c */
void       _uni_manifest_page_packages_class_init    (GtkWidgetClass  *widget_class);
void       _uni_manifest_page_update_packages_group  (UniManifestPage *self);

/* uni-manifest-page-targets.c */
void       _uni_manifest_page_targets_class_init     (GtkWidgetClass  *widget_class);
void       _uni_manifest_page_targets_init           (UniManifestPage *self);
void       _uni_manifest_page_targets_start          (UniManifestPage *self);
void       _uni_manifest_page_update_target_rows     (UniManifestPage *self);

G_END_DECLS
