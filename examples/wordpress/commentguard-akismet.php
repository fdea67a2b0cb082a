<?php
/**
 * Plugin Name: commentguard for Akismet
 * Description: Sends the Akismet plugin's calls to a commentguard server instead of Akismet's.
 * Version: 1.0
 * License: same as commentguard
 *
 * A must-use plugin: copy this file into wp-content/mu-plugins/ and set the server's address in
 * wp-config.php, above the line "That's all, stop editing!":
 *
 *     define( 'COMMENTGUARD_AKISMET_SERVER', 'http://127.0.0.1:8080' );
 *
 * Akismet's plugin has no setting for its server: it calls https://rest.akismet.com/1.1/... (and
 * older clients https://KEY.rest.akismet.com/1.1/...). This filter answers those calls, and only
 * those, by making the same request to the server: same method, path, query, body and headers,
 * the Host header kept as the plugin addressed it. Everything else WordPress requests is left
 * alone, and nothing else is changed. Without the constant the plugin does nothing.
 *
 * wp_safe_remote_* refuses local and private addresses; the forwarded request is allowed to reach
 * one, since the server is usually on the same machine. If WP_HTTP_BLOCK_EXTERNAL is set, the
 * server's host must be the site's own, "localhost", or listed in WP_ACCESSIBLE_HOSTS.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Whether a host name is one of Akismet's API hosts: rest.akismet.com or KEY.rest.akismet.com.
 */
function commentguard_akismet_is_api_host( $host ) {
	$host = strtolower( $host );
	return 'rest.akismet.com' === $host || 1 === preg_match( '/^[a-z0-9-]+\.rest\.akismet\.com$/', $host );
}

/**
 * The pre_http_request filter: the server's answer to a call addressed to Akismet, or $preempt
 * unchanged for any other request.
 */
function commentguard_akismet_route( $preempt, $args, $url ) {
	if ( false !== $preempt || ! defined( 'COMMENTGUARD_AKISMET_SERVER' ) ) {
		return $preempt;
	}
	$parts = wp_parse_url( $url );
	if ( empty( $parts['host'] ) || ! commentguard_akismet_is_api_host( $parts['host'] ) ) {
		return $preempt;
	}
	$target = untrailingslashit( COMMENTGUARD_AKISMET_SERVER )
		. ( isset( $parts['path'] ) ? $parts['path'] : '/' )
		. ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );

	$headers = isset( $args['headers'] ) && is_array( $args['headers'] ) ? $args['headers'] : array();
	foreach ( array_keys( $headers ) as $name ) {
		if ( 'host' === strtolower( $name ) ) {
			unset( $headers[ $name ] );
		}
	}
	$headers['Host']            = $parts['host'];
	$args['headers']            = $headers;
	$args['reject_unsafe_urls'] = false;

	return wp_remote_request( $target, $args );
}
add_filter( 'pre_http_request', 'commentguard_akismet_route', 10, 3 );
