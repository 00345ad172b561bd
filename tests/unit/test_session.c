/*
 * test_session: durations, names and paths of capture sessions (the paths
 * must read back through hs-summarize's file-name parser), shell quoting
 * of {} in --pipe commands, and the process facts parser on /proc text.
 */
#include "testutil.h"

#include "activate.h"
#include "buf.h"
#include "session.h"

static void
test_durations(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(hs_parse_duration("500ms", &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(hs_parse_duration("30s", &ms), 0);
	assert_int_equal(ms, 30000);
	assert_int_equal(hs_parse_duration("3m", &ms), 0);
	assert_int_equal(ms, 180000);
	assert_int_equal(hs_parse_duration("2h", &ms), 0);
	assert_int_equal(ms, 7200000);
	assert_int_equal(hs_parse_duration("7", &ms), 0);
	assert_int_equal(ms, 7000);
	assert_int_equal(hs_parse_duration("", &ms), -1);
	assert_int_equal(hs_parse_duration("m", &ms), -1);
	assert_int_equal(hs_parse_duration("-1s", &ms), -1);
	assert_int_equal(hs_parse_duration("1d", &ms), -1);
	assert_int_equal(hs_parse_duration("1 s", &ms), -1);
	assert_int_equal(hs_parse_duration("99999999999999999999h", &ms), -1);
}

static void
test_names(void **state)
{
	struct hs_buf b = { NULL, 0, 0 };
	struct hs_summary_meta meta;
	char id[9], namebuf[512];

	(void)state;
	assert_true(hs_session_word_ok("run-1.a", 0));
	assert_false(hs_session_word_ok("run_1", 0));
	assert_true(hs_session_word_ok("run_1", 1));
	assert_false(hs_session_word_ok("", 1));
	assert_false(hs_session_word_ok("..", 1));
	assert_false(hs_session_word_ok("-x", 1));
	assert_false(hs_session_word_ok("a/b", 1));
	assert_false(hs_session_word_ok("a b", 1));
	assert_int_equal(hs_session_new_id(id), 0);
	assert_int_equal(strlen(id), 8);
	assert_true(hs_session_word_ok(id, 0));
	assert_int_equal(hs_session_path(&b, "out", "api", "s1", "load_2",
	    (time_t)1795325400), 0);
	assert_string_equal(b.data,
	    "out/api/session_s1_load_2_20261122T053000Z.heapsnapshot");
	/* hs-summarize reads the session, label and time back. */
	memset(&meta, 0, sizeof(meta));
	hs_summary_parse_filename(b.data, &meta, namebuf, sizeof(namebuf));
	assert_string_equal(meta.session, "s1");
	assert_string_equal(meta.label, "load_2");
	assert_string_equal(meta.captured, "2026-11-22T05:30:00Z");
	hs_buf_free(&b);
}

static void
test_run_command(void **state)
{
	char err[256], path[] = "/tmp/hs-test-session.XXXXXX";
	char out[64];
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd != -1);
	close(fd);
	/* {} is one shell word, whatever it holds. */
	assert_int_equal(hs_run_command("printf '%s|' {} >\"$0\" 2>/dev/null;"
	    " printf '%s' {} >" "/tmp/hs-test-session.out", "a b'c;$(x)",
	    NULL, err, sizeof(err)), 0);
	fp = fopen("/tmp/hs-test-session.out", "r");
	assert_non_null(fp);
	assert_non_null(fgets(out, sizeof(out), fp));
	fclose(fp);
	assert_string_equal(out, "a b'c;$(x)");
	unlink("/tmp/hs-test-session.out");
	/* The exit status, stdin from a file. */
	assert_int_equal(hs_run_command("exit 3", NULL, NULL, err,
	    sizeof(err)), 3);
	assert_int_equal(hs_run_command("test -z \"$(cat)\"", NULL, path, err,
	    sizeof(err)), 0);
	unlink(path);
}

static void
test_proc_facts(void **state)
{
	static const char text[] =
	    "exe node\n"
	    "sigcgt 0000000100004602\n"
	    "sock 111\n"
	    "sock 222\n"
	    "sock 333\n"
	    "tcp 0: 0100007F:2382 00000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000 0 0 111 1 0 100 0 0 10 0\n"
	    "tcp 1: 0100007F:0050 00000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000 0 0 999 1 0 100 0 0 10 0\n"
	    "tcp 2: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 "
	    "00:00000000 00000000 0 0 222 1 0 100 0 0 10 0\n"
	    "tcp 3: 0500000A:0BB8 00000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000 0 0 333 1 0 100 0 0 10 0\n"
	    "tcp6 0: 00000000000000000000000001000000:2383 "
	    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000 0 0 222 1 0 100 0 0 10 0\n"
	    "tcp6 1: 00000000000000000000000000000000:2384 "
	    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000 0 0 111 1 0 100 0 0 10 0\n";
	struct hs_proc_facts f;
	char err[256];

	(void)state;
	assert_int_equal(hs_proc_parse(text, strlen(text), 42, &f, err,
	    sizeof(err)), 0);
	assert_string_equal(f.exe, "node");
	assert_true(f.usr1_caught);
	/* The process's listening sockets only (not 999, not ESTABLISHED). */
	assert_int_equal(f.nlisten, 4);
	assert_string_equal(f.listen[0].host, "127.0.0.1");
	assert_string_equal(f.listen[0].port, "9090");
	assert_true(f.listen[0].loopback);
	assert_string_equal(f.listen[1].host, "10.0.0.5");
	assert_string_equal(f.listen[1].port, "3000");
	assert_false(f.listen[1].loopback);
	assert_string_equal(f.listen[2].host, "::1");
	assert_true(f.listen[2].loopback);
	assert_string_equal(f.listen[3].host, "::1");	/* :: wildcard */
	assert_string_equal(f.listen[3].port, "9092");
	assert_int_equal(hs_proc_parse("exe x\nsigcgt 4402\n", 18, 42, &f,
	    err, sizeof(err)), 0);
	assert_false(f.usr1_caught);
	assert_int_equal(hs_proc_parse("error ENOENT\n", 13, 42, &f, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "no such process: 42");
	assert_int_equal(hs_proc_parse("tcp garbage\nsock x\n", 19, 42, &f,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "process 42: cannot read its /proc entries");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_run_command),
		cmocka_unit_test(test_proc_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
