/*
 * pages: the login form and the message pages, in Indonesian.
 */
#include "web/pages.h"

char *
pages_login(const struct config *cfg, const char *csrf, const char *message,
    size_t *len)
{
	struct html h;

	html_init(&h);
	html_page_begin(&h, cfg->server.city, "Masuk", NULL);
	html_raw(&h, "<h1>Masuk</h1>");
	if (message != NULL) {
		html_raw(&h, "<p class=\"error\" role=\"alert\">");
		html_text(&h, message);
		html_raw(&h, "</p>");
	}
	html_raw(&h,
	    "<form method=\"post\" action=\"/login\">"
	    "<label for=\"username\">Nama pengguna</label>"
	    "<input id=\"username\" name=\"username\" "
	    "autocomplete=\"username\" "
	    "required maxlength=\"32\" autocapitalize=\"none\">"
	    "<label for=\"password\">Kata sandi</label>"
	    "<input id=\"password\" name=\"password\" type=\"password\" "
	    "autocomplete=\"current-password\" required maxlength=\"1000\">");
	html_csrf(&h, csrf);
	html_raw(&h, "<button type=\"submit\">Masuk</button></form>");
	html_page_end(&h);
	return html_take(&h, len);
}

char *
pages_message(const struct config *cfg, const struct html_user *user,
    const char *title, const char *message, size_t *len)
{
	struct html h;

	html_init(&h);
	html_page_begin(&h, cfg->server.city, title, user);
	html_raw(&h, "<h1>");
	html_text(&h, title);
	html_raw(&h, "</h1><p>");
	html_text(&h, message);
	html_raw(&h, "</p>");
	html_page_end(&h);
	return html_take(&h, len);
}
