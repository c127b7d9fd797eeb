package org.autoreg.generate.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Notices that the client of a non-streaming request hung up while its answer is being generated.
 * A stream notices on its next write; a request that writes nothing until the end has nothing to
 * write, and Jetty does not read a connection while its request is being handled. So the watch
 * reads the connection itself, without waiting: an HTTP/1.1 client waiting for its answer sends
 * nothing more, so the read finds nothing — or the end of the stream once the client has closed
 * the connection. A client that pipelines its next request instead loses that byte: the response
 * then closes the connection ({@code Connection: close}) and the client retries the request, as
 * HTTP allows for unanswered pipelined requests.
 */
final class ClientWatch {
    private final Context ctx;
    private final EndPoint endPoint;
    private boolean done;

    private ClientWatch(Context ctx, EndPoint endPoint) {
        this.ctx = ctx;
        this.endPoint = endPoint;
    }

    /** A watch over {@code ctx}'s connection; one that never fires where Jetty's connection cannot be reached. */
    static ClientWatch of(Context ctx) {
        EndPoint ep = null;
        try {
            ep = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection()
                    .getEndPoint();
        } catch (RuntimeException e) {
            // not Jetty's servlet request: no watch
        }
        return new ClientWatch(ctx, ep);
    }

    /** True once the client has closed the connection (a non-blocking read of at most one byte). */
    boolean gone() {
        if (endPoint == null || done) {
            return false;
        }
        if (!endPoint.isOpen()) {
            return true;
        }
        try {
            int n = endPoint.fill(ByteBuffer.allocate(1).flip());  // flush mode, empty: fill appends
            if (n < 0) {
                return true;
            }
            if (n > 0) {                                             // a pipelined request: stop watching
                ctx.header("Connection", "close");
                done = true;
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
