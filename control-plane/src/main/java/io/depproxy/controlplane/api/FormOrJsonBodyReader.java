package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.FormOrJsonRequest;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Binds a {@link FormOrJsonRequest} body: JSON, or a form (a body that does not start with <code>{</code> and is not
 * declared JSON), over the query string's parameters (a body value wins), as GitLab's API and {@link ApiParams} take
 * them; an empty body leaves the query string alone. Other bodies (the pull policy's, the registry's) are not read
 * here. It claims JSON too, ahead of Jackson's reader, so both encodings of a request bind to the same values.
 */
@Provider
@Consumes(MediaType.WILDCARD)
@Priority(Priorities.USER - 100)
public class FormOrJsonBodyReader implements MessageBodyReader<FormOrJsonRequest> {
    @Inject
    UriInfo uri;
    @Inject
    ParamsBinder binder;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return FormOrJsonRequest.class.isAssignableFrom(type);
    }

    @Override
    public FormOrJsonRequest readFrom(Class<FormOrJsonRequest> type, Type genericType, Annotation[] annotations,
                                      MediaType mediaType, MultivaluedMap<String, String> headers,
                                      InputStream body) throws IOException {
        String text = new String(body.readAllBytes(), charset(mediaType));
        return binder.bind(ApiParams.of(uri, mediaType, text), type);
    }

    private static Charset charset(MediaType type) {
        String name = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
