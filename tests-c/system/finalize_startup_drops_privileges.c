/*
 * lws_finalize_startup on a context made with EXPLICIT_VHOSTS drops the
 * process to info.groupname / info.username (setgid, initgroups, setuid), as
 * lws also does after such a context's first protocol init; on other
 * contexts it does nothing. Run in child processes (the drop is for good):
 * as root the child ends up as nobody:nogroup; without the right to change
 * ids lws_finalize_startup returns 1 with a log line.
 */
#include <libwebsockets.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../harness/harness.h"

static int err_lines;

static void emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static const struct lws_protocols protocols[] = {
	{ "p", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static struct lws_context *make(int explicit_vhosts)
{
	struct lws_context_creation_info info;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = explicit_vhosts ? LWS_SERVER_OPTION_EXPLICIT_VHOSTS : 0;
	info.username = "nobody";
	info.groupname = "nogroup";
	return lws_create_context(&info);
}

/* 0: dropped (or refused without privileges); 2..: wrong */
static int child(int explicit_vhosts, int by_service)
{
	struct lws_context *cx;
	struct passwd *pw = getpwnam("nobody");
	struct group *gr = getgrnam("nogroup");
	uid_t was_uid = getuid();
	int r, n;

	lws_set_log_level(LLL_ERR, emit);
	if (!pw || !gr)
		return 0; /* no such accounts here: nothing to check */
	cx = make(explicit_vhosts);
	if (!cx)
		return 2;
	if (by_service) {
		for (n = 0; n < 3; n++)
			lws_service(cx, -1);
		r = 0;
	} else
		r = lws_finalize_startup(cx);
	lws_context_destroy(cx);
	if (!explicit_vhosts) /* (lws itself drops at creation then, see COMPAT V6) */
		return r == 0 ? 0 : 3;
	if (was_uid != 0) /* no right to change ids: 1 and a log line */
		return r == 1 && err_lines >= 1 ? 0 : 4;
	if (r != 0)
		return 5;
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid)
		return 6;
	if (getgid() != gr->gr_gid)
		return 7;
	return 0;
}

static int run(int explicit_vhosts, int by_service)
{
	int status;
	pid_t pid = fork();

	H_ASSERT(pid >= 0);
	if (!pid)
		_exit(child(explicit_vhosts, by_service));
	H_ASSERT(waitpid(pid, &status, 0) == pid);
	H_ASSERT(WIFEXITED(status));
	return WEXITSTATUS(status);
}

int main(void)
{
	int before;

	h_watchdog(30);
	lws_set_log_level(LLL_ERR, emit);
	H_ASSERT_EQ_INT(run(1, 0), 0);
	H_ASSERT_EQ_INT(run(1, 1), 0);
	H_ASSERT_EQ_INT(run(0, 0), 0);

	before = err_lines;
	H_ASSERT_EQ_INT(lws_finalize_startup(NULL), 1);
	H_ASSERT_EQ_INT(err_lines, before + 1);
	return h_pass();
}
