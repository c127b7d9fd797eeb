/**
 * The trainer: AdamW, linear warmup + cosine decay, gradient clipping, evaluation, checkpoints,
 * exact resume, metrics and plots. Not implemented yet (issue 4).
 */
package org.autoreg.train;
