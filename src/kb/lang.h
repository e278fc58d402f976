/* The two languages of the KB's text and of the interface. */
#ifndef ERRKB_LANG_H
#define ERRKB_LANG_H

enum kb_lang { KB_EN, KB_ZH };

#endif
