/**
 * Text generation with Hugging Face {@code generate()} semantics: {@link org.autoreg.generate.Generator}
 * (greedy, sampling with temperature / top-k / top-p / min-p, repetition penalty, no-repeat-n-gram,
 * EOS and stop strings, a key/value cache, UTF-8-safe streaming, chat), configured by
 * {@link org.autoreg.generate.GenerationConfig}.
 */
package org.autoreg.generate;
