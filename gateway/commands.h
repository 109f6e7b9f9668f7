/*
 * commands: the subcommands of the hotline binary.  Each takes the
 * arguments after its name and returns the process exit status.
 */
#ifndef HOTLINE_COMMANDS_H
#define HOTLINE_COMMANDS_H

int cmd_serve(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_reports(int argc, char **argv);
int cmd_unseal(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_route(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int cmd_resend(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_rekey(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_evidence(int argc, char **argv);
/* The day-2 operator's commands (gateway/day2_cmds.c). */
int cmd_restore(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
/* hotline user list, from cmd_user: argv[0] is "list". */
int cmd_user_list(int argc, char **argv);

#endif
