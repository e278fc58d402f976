/* Where errkb's files are: what it installed (the KB, message catalogues)
 * and what belongs to the user (config, state), by the XDG rules. */
#ifndef ERRKB_PATHS_H
#define ERRKB_PATHS_H

/* An installed directory (malloc'd): tree_dir when this binary is the one
 * built in the source tree, so a fresh checkout runs uninstalled; else
 * installed_dir under the root this binary was installed to, so a staged
 * `make install DESTDIR=...` or a moved prefix still finds its files; else
 * installed_dir itself. */
char *paths_installed(const char *installed_dir, const char *tree_dir);

/* $XDG_CONFIG_HOME/errkb/config, else ~/.config/errkb/config; NULL when
 * neither the variable nor HOME is set. */
char *paths_config_file(void);
/* $XDG_STATE_HOME/errkb/state, else ~/.local/state/errkb/state. */
char *paths_state_file(void);
/* $XDG_CACHE_HOME/errkb, else ~/.cache/errkb; NULL as above. */
char *paths_cache_dir(void);
/* "~/x" with HOME put in (malloc'd); other paths copied. */
char *paths_expand_home(const char *p);

#endif
