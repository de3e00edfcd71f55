/* uni-test-sshd.h — a real OpenSSH server on 127.0.0.1 for board tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The variable the remote sessions find the state folder in, the one
 * tests/fixtures/xl keeps its domains in, unless
 * UniTestSshdOptions.state_variable names another.
 */
#define UNI_TEST_SSHD_STATE_VARIABLE "UNISTUDIO_FAKE_XL_STATE"

/* The Host in the ssh_config file uni_test_sshd_get_config_file() writes. */
#define UNI_TEST_SSHD_ALIAS "unistudio-test-board"

typedef struct _UniTestSshd UniTestSshd;

/**
 * UniTestSshdClient:
 * @UNI_TEST_SSHD_CLIENT_GOOD: trusts the server's host key, uses the
 *   authorized key: logs in
 * @UNI_TEST_SSHD_CLIENT_UNKNOWN_HOST: an empty known_hosts file: with
 *   strict checking, "Host key verification failed."
 * @UNI_TEST_SSHD_CLIENT_CHANGED_HOST_KEY: known_hosts holds another key for
 *   [127.0.0.1]:PORT: "REMOTE HOST IDENTIFICATION HAS CHANGED!"
 * @UNI_TEST_SSHD_CLIENT_UNAUTHORIZED_KEY: a key the server does not accept:
 *   "Permission denied (publickey)."
 * @UNI_TEST_SSHD_CLIENT_REFUSED: a port of 127.0.0.1 held but not listened
 *   on while the server runs: "Connection refused"
 *
 * The clients a test can be, each a way of reaching (or failing to reach)
 * the same server.
 */
typedef enum
{
  UNI_TEST_SSHD_CLIENT_GOOD,
  UNI_TEST_SSHD_CLIENT_UNKNOWN_HOST,
  UNI_TEST_SSHD_CLIENT_CHANGED_HOST_KEY,
  UNI_TEST_SSHD_CLIENT_UNAUTHORIZED_KEY,
  UNI_TEST_SSHD_CLIENT_REFUSED,
} UniTestSshdClient;

/**
 * UniTestSshdOptions:
 * @path_prepend: (nullable): folders put first in the remote sessions'
 *   PATH; %NULL: tests/fixtures
 * @environment: (nullable): more "NAME=VALUE" for the remote sessions
 * @state_variable: (nullable): the variable that holds the state folder;
 *   %NULL: %UNI_TEST_SSHD_STATE_VARIABLE
 *
 * Zero-initialise, set what differs; a %NULL options pointer means all
 * defaults.
 */
typedef struct
{
  const char *const *path_prepend;
  const char *const *environment;
  const char        *state_variable;
} UniTestSshdOptions;

UniTestSshd *uni_test_sshd_start                 (const UniTestSshdOptions *opts);
void         uni_test_sshd_stop                  (UniTestSshd              *sshd);

const char  *uni_test_sshd_get_host              (UniTestSshd              *sshd);
const char  *uni_test_sshd_get_user              (UniTestSshd              *sshd);
guint        uni_test_sshd_get_port              (UniTestSshd              *sshd);
const char  *uni_test_sshd_get_identity_file     (UniTestSshd              *sshd);
const char  *uni_test_sshd_get_known_hosts_file  (UniTestSshd              *sshd);
const char  *uni_test_sshd_get_config_file       (UniTestSshd              *sshd);
const char  *uni_test_sshd_get_remote_home       (UniTestSshd              *sshd);
const char  *uni_test_sshd_get_state_dir         (UniTestSshd              *sshd);
char        *uni_test_sshd_dup_log               (UniTestSshd              *sshd);
char       **uni_test_sshd_dup_ssh_options       (UniTestSshd              *sshd);

guint        uni_test_sshd_get_client_port       (UniTestSshd              *sshd,
                                                  UniTestSshdClient         client);
char       **uni_test_sshd_dup_client_options    (UniTestSshd              *sshd,
                                                  UniTestSshdClient         client);
GPtrArray   *uni_test_sshd_new_argv              (UniTestSshd              *sshd,
                                                  UniTestSshdClient         client,
                                                  const char               *program);

gboolean     uni_test_sshd_mount_client_home     (UniTestSshd              *sshd);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniTestSshd, uni_test_sshd_stop)

G_END_DECLS
