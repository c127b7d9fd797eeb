/**
 * The generation engine (greedy, sampling, top-k/top-p, stop rules, KV cache, streaming), chat,
 * and the HTTP server. Not implemented yet (issues 5 and 7).
 */
package org.autoreg.generate;
