/*
 * A small but ordinary libwebsockets 4.3 program, used to prove that an installed lws-rs
 * package can be found, compiled against and linked, statically and dynamically:
 * tests-c/consumer-cmake (find_package) and tests-c/consumer-pkgconfig (pkg-config) build
 * it against an installed prefix, and tests-c/CMakeLists.txt builds it in-tree.
 *
 * It creates a client-only context (no listener) with one protocol, runs the service loop
 * until an lws_sul timer has ticked three times, destroys the context and exits 0. It exits
 * non-zero when the library misbehaves in a way such a program would notice.
 *
 * ctest-link: both
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TICKS_WANTED 3

struct app {
	lws_sorted_usec_list_t sul; /* the timer; the callback finds app from it */
	struct lws_context *context;
	int ticks;
	int done;
	int protocol_inits;
	int protocol_destroys;
};

static void tick(lws_sorted_usec_list_t *sul)
{
	struct app *app = lws_container_of(sul, struct app, sul);

	lwsl_user("tick %d\n", app->ticks + 1);
	if (++app->ticks < TICKS_WANTED) {
		lws_sul_schedule(app->context, 0, &app->sul, tick, 10 * LWS_US_PER_MS);
		return;
	}
	app->done = 1;
	/* This callback runs inside lws_service() before it waits in poll(); with no timer
	 * left that wait would never end, so wake it up. */
	lws_cancel_service(app->context);
}

static int callback_consumer(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			     void *in, size_t len)
{
	struct app *app = (struct app *)lws_context_user(lws_get_context(wsi));

	(void)user;
	(void)in;
	(void)len;

	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		app->protocol_inits++;
		break;
	case LWS_CALLBACK_PROTOCOL_DESTROY:
		app->protocol_destroys++;
		break;
	default:
		break;
	}

	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "lws-rs-consumer", callback_consumer, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(void)
{
	struct lws_context_creation_info info;
	struct app app;
	int n = 0, loops = 0;

	/* A real program would not need this; a test must never hang CI. */
	alarm(20);

	memset(&app, 0, sizeof(app));
	lws_set_log_level(LLL_ERR | LLL_WARN | LLL_USER, NULL);
	lwsl_user("lws-rs consumer: starting\n");

	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.user = &app;

	app.context = lws_create_context(&info);
	if (!app.context) {
		fprintf(stderr, "consumer: lws_create_context failed\n");
		return 1;
	}

	lws_sul_schedule(app.context, 0, &app.sul, tick, 10 * LWS_US_PER_MS);

	while (n >= 0 && !app.done) {
		n = lws_service(app.context, 0);
		loops++;
	}

	lws_context_destroy(app.context);

	if (app.ticks != TICKS_WANTED) {
		fprintf(stderr, "consumer: %d ticks, wanted %d (lws_service returned %d)\n",
			app.ticks, TICKS_WANTED, n);
		return 1;
	}
	if (app.protocol_inits != 1 || app.protocol_destroys != 1) {
		fprintf(stderr, "consumer: PROTOCOL_INIT x%d, PROTOCOL_DESTROY x%d, wanted 1 each\n",
			app.protocol_inits, app.protocol_destroys);
		return 1;
	}

	printf("consumer: ok (%d ticks, %d service calls)\n", app.ticks, loops);

	return 0;
}
