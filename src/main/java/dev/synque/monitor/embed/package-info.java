/**
 * Text to vectors: the {@link dev.synque.monitor.embed.Embedder} port, its DJL adapter on ONNX
 * Runtime ({@link dev.synque.monitor.embed.DjlEmbedder}), model files and the {@code .npy} format.
 */
package dev.synque.monitor.embed;
