/*
 * version: "hotline version" and "hotline --version": hotline's own
 * version (the VERSION file, given by the Makefile as HOTLINE_VERSION)
 * and, a line each, the libraries it runs with.
 */
#ifndef HOTLINE_VERSION_H
#define HOTLINE_VERSION_H

int cmd_version(int argc, char **argv);

#endif
