-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'www-data1@shop.test','$2y$10$JD0S5SDvFwvvHswKt5/pRo3hojdCYF1X2x45Zsn0nQWN0CyMKIr0v',NULL);
INSERT INTO `users` VALUES (2,'www-data2@shop.test','$1$tAtM7Fcw$nDVhD.2xiGdTBqgNzIM3jo',NULL);
INSERT INTO `users` VALUES (3,'bob3@shop.test','$2y$10$o.eIWKv0lYa9DBMegPYYG3aATbRl.YcmhsMWoR7PrvpkwOdGcy5WJ',NULL);
INSERT INTO `users` VALUES (4,'jenkins4@shop.test','$1$gHKMnzY2$zbuIvuUA.OZVnr92b.QAp/',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','ebc4fa6cd746928080cccf5f770022aa2e654d0addc0a0a3ff9e1b1d1ba99842');
