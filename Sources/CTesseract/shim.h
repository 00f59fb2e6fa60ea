#ifndef RAG_CTESSERACT_SHIM_H
#define RAG_CTESSERACT_SHIM_H
// Tesseract's C API (libtesseract-dev), for recognising the text of PDF pages that are only images.
#include <tesseract/capi.h>
#endif
