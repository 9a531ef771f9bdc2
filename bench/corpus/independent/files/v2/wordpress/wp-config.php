<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Moonlight5662&xME' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         '>%aGO|6j5Wl,2E9x|(8Akor>0x3P/|{2wd?K:YMsE^KZ0M/;x75%KDbHC(jVuulJ');
define('SECURE_AUTH_KEY',         '40J<SAG/i<VgX(p<Gx0W-OG3O9Wv7rGZ03Kv|sL{yIa6}7Wwid[i~Nqm2ilwoAoF');
define('LOGGED_IN_KEY',         'Au/VIp=3LAsyWklTK,j.2#NLk/ZuXBM!vkr7U3yegM/Q%[:CMTJsoJ;%/XL99+s:');
define('NONCE_KEY',         '<pQ.%?sL;5rv,XRrq}^8i>yq).5V/Y8S,Vo,gZS~pNeDAaxB{WBfkdX)z*RH}fxS');
define('AUTH_SALT',         'Qdr9cu{g?A=0gp5noXL;&h&xBtA@W,Ep#U-j6IiZC!-!6FYLVfT87;t5v/@/h!~(');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
