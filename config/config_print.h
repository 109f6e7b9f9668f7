/*
 * config_print: the effective configuration, every value after the
 * defaults of config_load(), written back as an INI file that
 * config_load() reads (hotline check --print).  Secrets are never
 * written: each appears as a comment, "# KEY = (set, masked)" or
 * "# KEY = (not set)".  Public keys are written in base64.
 */
#ifndef HOTLINE_CONFIG_PRINT_H
#define HOTLINE_CONFIG_PRINT_H

#include <stdio.h>

#include "config/config.h"

void config_print(const struct config *cfg, FILE *out);
/*
 * Every section and key of the config as man(7) text, one .TP a key: its
 * help, what it takes, its default (the list of hotline.conf(5), which
 * test_config checks names each).
 */
void config_describe(FILE *out);

#endif
