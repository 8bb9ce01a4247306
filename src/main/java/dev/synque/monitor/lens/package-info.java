/**
 * LENS live: the paper's LLM proxy against any OpenAI-compatible chat-completions endpoint, run
 * outside the stream threads (rubric compiler, judge, budget, Kafka worker).
 */
package dev.synque.monitor.lens;
